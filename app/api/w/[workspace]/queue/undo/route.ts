import { withRoute } from "@/server/http/route.ts";
import { queueGate } from "@/server/queue/queue-gate.ts";
import { undoLastDecision } from "@/server/queue/undo-last-decision.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/queue/undo – appends a reversal of the caller's last decision and re-leases that excerpt to them.
// With an Idempotency-Key (one per U keypress), a retry returns the first answer instead of undoing a second decision.
export const POST = withRoute({ workspace: true, roles: ["moderator"], gate: queueGate, idempotent: "queue.undo" }, async ({ workspace, user }) => {
  return (await undoLastDecision({ workspaceId: workspace.id, userId: user.id })) ?? { reversedDecisionId: null, card: null };
});
