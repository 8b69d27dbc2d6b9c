import { IDEMPOTENCY_HEADER } from "@/lib/http/idempotency-key.ts";
import { withRoute } from "@/server/http/route.ts";
import { runIdempotent } from "@/server/idempotency/run-idempotent.ts";
import { undoLastDecision } from "@/server/queue/undo-last-decision.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/queue/undo – appends a reversal of the caller's last decision and re-leases that excerpt to them.
// With an Idempotency-Key (one per U keypress), a retry returns the first answer instead of undoing a second decision.
export const POST = withRoute({ roles: ["moderator"] }, async ({ req, user }) => {
  const workspace = await getCurrentWorkspace();
  const scope = { userId: user.id, workspaceId: workspace.id, key: req.headers.get(IDEMPOTENCY_HEADER), operation: "queue.undo", request: null };
  return runIdempotent(scope, async () => (await undoLastDecision({ workspaceId: workspace.id, userId: user.id })) ?? { reversedDecisionId: null, card: null });
});
