import { ImportAdmin } from "@/components/admin/import-admin.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";

export const metadata = { title: "Import · Admin · modloop" };

export default async function AdminImportPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await requireWorkspacePage(params, ["admin"]);
  return <ImportAdmin initialCategories={await listCategories({ workspaceId: workspace.id })} />;
}
