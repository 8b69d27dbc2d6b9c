import { withRoute } from "@/server/http/route.ts";
import { searchExcerpts, ZExcerptSearch } from "@/server/excerpts/search-excerpts.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/excerpts/search – filtered, keyset-paginated excerpt list (newest first).
export const GET = withRoute({ workspace: true, roles: "any", query: ZExcerptSearch }, async ({ workspace, query }) => {
  return searchExcerpts({ workspaceId: workspace.id, activeModelVersionId: workspace.activeModelVersionId, filters: query });
});
