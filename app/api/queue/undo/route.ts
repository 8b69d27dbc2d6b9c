import { withRoute } from "@/server/http/route.ts";
import { undoLastDecision } from "@/server/queue/undo-last-decision.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/queue/undo – appends a reversal of the caller's last decision and re-leases that excerpt to them.
export const POST = withRoute({ roles: ["moderator"] }, async ({ user }) => {
  const workspace = await getCurrentWorkspace();
  const result = await undoLastDecision({ workspaceId: workspace.id, userId: user.id });
  return result ?? { reversedDecisionId: null, card: null };
});
