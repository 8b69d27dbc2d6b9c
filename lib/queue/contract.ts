import { z } from "zod";

/** The most items one claim leases (the queue's and re-review's): a page of cards, not the queue. */
export const MAX_CLAIM_LIMIT = 50;

/** POST …/queue/claim?limit= and …/rereview/claim?limit=: how many items to lease at most. */
export const ZClaimQuery = z.object({ limit: z.coerce.number().int().min(1).max(MAX_CLAIM_LIMIT).optional() });
