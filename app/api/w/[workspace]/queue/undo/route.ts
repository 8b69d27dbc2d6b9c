import { IDEMPOTENCY_HEADER } from "@/lib/http/idempotency-key.ts";
import { withRoute } from "@/server/http/route.ts";
import { runIdempotent } from "@/server/idempotency/run-idempotent.ts";
import { undoLastDecision } from "@/server/queue/undo-last-decision.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/queue/undo – appends a reversal of the caller's last decision and re-leases that excerpt to them.
// With an Idempotency-Key (one per U keypress), a retry returns the first answer instead of undoing a second decision.
export const POST = withRoute({ workspace: true, roles: ["moderator"] }, async ({ workspace, req, user }) => {
  const scope = { userId: user.id, workspaceId: workspace.id, key: req.headers.get(IDEMPOTENCY_HEADER), operation: "queue.undo", request: null };
  return runIdempotent(scope, async () => (await undoLastDecision({ workspaceId: workspace.id, userId: user.id })) ?? { reversedDecisionId: null, card: null });
});
