import { withRoute } from "@/server/http/route.ts";
import { searchExcerpts, ZExcerptSearch } from "@/server/excerpts/search-excerpts.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/excerpts/search – filtered, keyset-paginated excerpt list (newest first).
export const GET = withRoute({ roles: "any", query: ZExcerptSearch }, async ({ query }) => {
  const workspace = await getCurrentWorkspace();
  return searchExcerpts({ workspaceId: workspace.id, activeModelVersionId: workspace.activeModelVersionId, filters: query });
});
