import { withRoute } from "@/server/http/route.ts";
import { queueGate } from "@/server/queue/queue-gate.ts";
import { getProgress } from "@/server/queue/get-progress.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/queue/progress – the caller's decisions today and the open items left in the queue.
export const GET = withRoute({ workspace: true, roles: ["moderator"], gate: queueGate }, async ({ workspace, user }) => {
  return getProgress({ workspaceId: workspace.id, userId: user.id });
});
