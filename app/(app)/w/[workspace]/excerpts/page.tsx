import { ExcerptBrowser } from "@/components/excerpts/excerpt-browser.tsx";
import { filtersFromQuery } from "@/lib/excerpts/url-filters.ts";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";

export const metadata = { title: "Excerpts · modloop" };

export default async function ExcerptsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace } = await requireWorkspacePage(params, "any");
  // the filters live in the URL (?q=…&status=…), so a search can be bookmarked, shared and reloaded
  return <ExcerptBrowser initialCategories={await listCategories({ workspaceId: workspace.id })} initialFilters={filtersFromQuery(await searchParams)} />;
}
