import { ModelRegistry } from "@/components/models/model-registry.tsx";
import { hasRole } from "@/server/auth/roles.ts";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";

export const metadata = { title: "Models · modloop" };

export default async function ModelsPage({ params }: { params: Promise<{ workspace: string }> }) {
  // Managers may look; only data scientists (and admins) train, promote and calibrate.
  const { role } = await requireWorkspacePage(params, ["data_scientist", "manager"]);
  return <ModelRegistry canManage={hasRole({ role }, ["data_scientist"])} />;
}
