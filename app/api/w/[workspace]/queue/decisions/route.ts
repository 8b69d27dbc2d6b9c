import { z } from "zod";
import { ZBigIntId, ZIntId } from "@/lib/http/ids.ts";
import { withRoute } from "@/server/http/route.ts";
import { queueGate } from "@/server/queue/queue-gate.ts";
import { submitDecision } from "@/server/queue/submit-decision.ts";

export const runtime = "nodejs";

const ZDecisionBody = z.object({
  excerptId: ZBigIntId,
  kind: z.enum(["label", "skip"]),
  categoryId: ZIntId.optional(),
  durationMs: z.number().int().min(0).max(86_400_000).optional(),
  note: z.string().trim().max(2000).optional(),
  origin: z.enum(["queue", "review"]).default("queue"),
});

// POST /api/w/:workspace/queue/decisions – appends a label or skip; late (expired-lease) decisions are kept and flagged.
// With an Idempotency-Key (the queue sends one per keypress), a retry returns the first answer and stores nothing;
// the key row goes in with the decision, in its one statement.
export const POST = withRoute(
  { workspace: true, roles: ["moderator"], gate: queueGate, body: ZDecisionBody, idempotent: { operation: "queue.decide", isStoredByHandler: true } },
  async ({ workspace, user, body, idempotencyKey }) => {
    return submitDecision({ workspaceId: workspace.id, userId: user.id, ...body, note: body.note || undefined }, idempotencyKey);
  },
);
