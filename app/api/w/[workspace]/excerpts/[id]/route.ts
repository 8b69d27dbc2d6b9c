import { pathBigIntId, withRoute } from "@/server/http/route.ts";
import { getExcerptHistory } from "@/server/excerpts/get-excerpt-history.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/excerpts/:id – one excerpt with its full decision history, predictions and conversation.
export const GET = withRoute({ workspace: true, roles: "any" }, async ({ workspace, params }) => {
  const excerptId = pathBigIntId(params.id);
  return getExcerptHistory({ workspaceId: workspace.id, excerptId });
});
