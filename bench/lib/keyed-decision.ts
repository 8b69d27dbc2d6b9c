import { randomBytes } from "node:crypto";
import { runIdempotentInline } from "../../server/idempotency/run-idempotent.ts";
import { submitDecision, type TSubmitDecisionOptions } from "../../server/queue/submit-decision.ts";

/**
 * A decision as the queue page makes it, for the in-process benchmarks: a new Idempotency-Key per
 * decision (one per keypress), its key row and answer stored in the decision's own statement, as the
 * decisions route runs it (runIdempotentInline). Import it after DATABASE_URL points at the bench database.
 */
export function decideAsQueuePage(options: TSubmitDecisionOptions) {
  const scope = { userId: options.userId, workspaceId: options.workspaceId, key: randomBytes(16).toString("hex"), operation: "queue.decide", request: options };
  return runIdempotentInline(scope, (key) => submitDecision(options, key));
}
