import { z } from "zod";
import { RANK_STRATEGIES } from "@/lib/ranking/rank.ts";
import { MAX_RETRAIN_EVERY, MIN_RETRAIN_EVERY } from "@/lib/registry/auto-retrain.ts";

const RETRAIN_RANGE = `Retrain after ${MIN_RETRAIN_EVERY} to ${MAX_RETRAIN_EVERY.toLocaleString("en-US")} new labels, or turn it off`;

export const ZWorkspaceSettings = z.object({
  flagThreshold: z.number().min(0, "Threshold is between 0 and 1").max(1, "Threshold is between 0 and 1"),
  rankStrategy: z.enum(RANK_STRATEGIES),
  randomShare: z.number().min(0, "Random share is between 0 and 0.5").max(0.5, "Random share is between 0 and 0.5"),
  // optional: clients that predate it keep the current share
  overlapShare: z.number().min(0, "Overlap share is between 0 and 0.5").max(0.5, "Overlap share is between 0 and 0.5").optional(),
  // optional, like overlapShare: clients that predate them keep the current ordering
  isFlaggedFirst: z.boolean().optional(),
  /** near-duplicate spacing of the queue head; null turns it off */
  maxSimilarity: z
    .number()
    .gt(0, "Near-duplicate similarity is above 0 and at most 1")
    .max(1, "Near-duplicate similarity is above 0 and at most 1")
    .nullable()
    .optional(),
  leaseSeconds: z.number().int().min(30, "Leases last at least 30 s").max(86_400, "Leases last at most a day"),
  /**
   * true: hand the flag threshold back to the model (the active version's calibrated default, then each
   * promoted version's); flagThreshold is then ignored. Optional: older clients never send it
   */
  isFlagThresholdFromModel: z.boolean().optional(),
  /** automatic retrain after this many new human labels; null turns it off. Optional: older clients keep it */
  retrainEvery: z.number().int(RETRAIN_RANGE).min(MIN_RETRAIN_EVERY, RETRAIN_RANGE).max(MAX_RETRAIN_EVERY, RETRAIN_RANGE).nullable().optional(),
});
export type TWorkspaceSettings = z.infer<typeof ZWorkspaceSettings>;
