import { withRoute } from "@/server/http/route.ts";
import { getProgress } from "@/server/queue/get-progress.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/queue/progress – the caller's decisions today and the open items left in the queue.
export const GET = withRoute({ roles: ["moderator"] }, async ({ user }) => {
  const workspace = await getCurrentWorkspace();
  return getProgress({ workspaceId: workspace.id, userId: user.id });
});
