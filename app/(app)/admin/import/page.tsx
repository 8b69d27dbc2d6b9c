import { ImportAdmin } from "@/components/admin/import-admin.tsx";
import { requirePageUser } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const metadata = { title: "Import · Admin · modloop" };

export default async function AdminImportPage() {
  await requirePageUser(["admin"]);
  const workspace = await getCurrentWorkspace();
  return <ImportAdmin initialCategories={await listCategories({ workspaceId: workspace.id })} />;
}
