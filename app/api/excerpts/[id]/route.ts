import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { getExcerptHistory } from "@/server/excerpts/get-excerpt-history.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/excerpts/:id – one excerpt with its full decision history, predictions and conversation.
export const GET = withRoute({ roles: "any" }, async ({ params }) => {
  const excerptId = z.string().regex(/^\d+$/, "Excerpt ids are numeric").parse(params.id);
  const workspace = await getCurrentWorkspace();
  return getExcerptHistory({ workspaceId: workspace.id, excerptId });
});
