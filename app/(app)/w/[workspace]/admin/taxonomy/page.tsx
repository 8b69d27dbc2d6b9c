import { TaxonomyAdmin } from "@/components/admin/taxonomy-admin.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";

export const metadata = { title: "Taxonomy · Admin · modloop" };

export default async function AdminTaxonomyPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await requireWorkspacePage(params, ["admin"]);
  return <TaxonomyAdmin initialCategories={await listCategories({ workspaceId: workspace.id })} />;
}
