import { TaxonomyAdmin } from "@/components/admin/taxonomy-admin.tsx";
import { requirePageUser } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const metadata = { title: "Taxonomy · Admin · modloop" };

export default async function AdminTaxonomyPage() {
  await requirePageUser(["admin"]);
  const workspace = await getCurrentWorkspace();
  return <TaxonomyAdmin initialCategories={await listCategories({ workspaceId: workspace.id })} />;
}
