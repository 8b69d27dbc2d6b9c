import { ExcerptBrowser } from "@/components/excerpts/excerpt-browser.tsx";
import { filtersFromQuery } from "@/lib/excerpts/url-filters.ts";
import { requirePageUser } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const metadata = { title: "Excerpts · modloop" };

export default async function ExcerptsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageUser("any");
  const workspace = await getCurrentWorkspace();
  // the filters live in the URL (?q=…&status=…), so a search can be bookmarked, shared and reloaded
  return <ExcerptBrowser initialCategories={await listCategories({ workspaceId: workspace.id })} initialFilters={filtersFromQuery(await searchParams)} />;
}
