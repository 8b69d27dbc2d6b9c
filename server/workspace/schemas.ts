import { z } from "zod";
import { RANK_STRATEGIES } from "@/lib/ranking/rank.ts";

export const ZWorkspaceSettings = z.object({
  flagThreshold: z.number().min(0, "Threshold is between 0 and 1").max(1, "Threshold is between 0 and 1"),
  rankStrategy: z.enum(RANK_STRATEGIES),
  randomShare: z.number().min(0, "Random share is between 0 and 0.5").max(0.5, "Random share is between 0 and 0.5"),
  // optional: clients that predate it keep the current share
  overlapShare: z.number().min(0, "Overlap share is between 0 and 0.5").max(0.5, "Overlap share is between 0 and 0.5").optional(),
  leaseSeconds: z.number().int().min(30, "Leases last at least 30 s").max(86_400, "Leases last at most a day"),
});
export type TWorkspaceSettings = z.infer<typeof ZWorkspaceSettings>;
