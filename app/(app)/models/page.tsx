import { ModelRegistry } from "@/components/models/model-registry.tsx";
import { hasRole } from "@/server/auth/roles.ts";
import { requirePageUser } from "@/server/auth/require-page-user.ts";

export const metadata = { title: "Models · modloop" };

export default async function ModelsPage() {
  // Managers may look; only data scientists (and admins) train, promote and calibrate.
  const user = await requirePageUser(["data_scientist", "manager"]);
  return <ModelRegistry canManage={hasRole(user, ["data_scientist"])} />;
}
