import { DatasetsView } from "@/components/datasets/datasets-view.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { getFilterOptions } from "@/server/dashboard/get-filter-options.ts";
import { listSnapshots } from "@/server/export/list-snapshots.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";
import { listUsers } from "@/server/users/list-users.ts";

export const metadata = { title: "Datasets · modloop" };

export default async function DatasetsPage({ params }: { params: Promise<{ workspace: string }> }) {
  // Only data scientists (and admins) export; moderators are sent to /forbidden.
  const { workspace } = await requireWorkspacePage(params, ["data_scientist"]);
  const [snapshots, categories, users, dims] = await Promise.all([
    listSnapshots({ workspaceId: workspace.id }),
    listCategories({ workspaceId: workspace.id }),
    listUsers(),
    // the games and channels seen (the dashboard's rollup): pickers instead of free text
    getFilterOptions({ workspaceId: workspace.id }),
  ]);
  return (
    <DatasetsView
      initialSnapshots={snapshots}
      categories={categories.map((c) => ({ id: c.id, name: c.name }))}
      moderators={users.filter((u) => u.decisionCount > 0).map((u) => ({ id: u.id, name: u.name }))}
      games={dims.games}
      channels={dims.channels}
    />
  );
}
