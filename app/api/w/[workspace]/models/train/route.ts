import { withRoute } from "@/server/http/route.ts";
import { requestTraining } from "@/server/registry/request-training.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/models/train – queues "train new version" (joins a run already unfinished); 202, progress via GET /api/models.
export const POST = withRoute({ workspace: true, roles: ["data_scientist"] }, async ({ workspace, user }) => {
  const result = await requestTraining({ workspaceId: workspace.id, requestedById: user.id });
  return Response.json(result, { status: 202, headers: { "cache-control": "no-store" } });
});
