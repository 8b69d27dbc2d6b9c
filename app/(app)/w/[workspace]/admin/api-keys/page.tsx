import { ApiKeysAdmin } from "@/components/admin/api-keys-admin.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";

export const metadata = { title: "API keys · Admin · modloop" };

export default async function AdminApiKeysPage({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspacePage(params, ["admin"]);
  return <ApiKeysAdmin />;
}
