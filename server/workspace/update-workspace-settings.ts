import { z } from "zod";
import { RANK_STRATEGIES } from "@/lib/ranking/rank.ts";
import { db } from "../db/client.ts";
import { requeueWorkspace } from "../model/requeue-workspace.ts";

export const ZWorkspaceSettings = z.object({
  flagThreshold: z.number().min(0, "Threshold is between 0 and 1").max(1, "Threshold is between 0 and 1"),
  rankStrategy: z.enum(RANK_STRATEGIES),
  randomShare: z.number().min(0, "Random share is between 0 and 0.5").max(0.5, "Random share is between 0 and 0.5"),
  leaseSeconds: z.number().int().min(30, "Leases last at least 30 s").max(86_400, "Leases last at most a day"),
});
export type TWorkspaceSettings = z.infer<typeof ZWorkspaceSettings>;

type TUpdateOptions = { workspaceId: number; settings: TWorkspaceSettings };

/**
 * Saves the queue settings. Threshold, strategy and random share change every open item's
 * priority, so those changes re-rank the queue (requeueWorkspace); a lease change does not.
 */
export async function updateWorkspaceSettings({ workspaceId, settings }: TUpdateOptions): Promise<TWorkspaceSettings & { isRequeued: boolean }> {
  const prisma = db();
  const before = await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  const after = await prisma.workspace.update({ where: { id: workspaceId }, data: settings });
  const isRankingChanged =
    before.flagThreshold !== after.flagThreshold || before.rankStrategy !== after.rankStrategy || before.randomShare !== after.randomShare;
  if (isRankingChanged) await requeueWorkspace({ workspaceId });
  return {
    flagThreshold: after.flagThreshold,
    rankStrategy: after.rankStrategy,
    randomShare: after.randomShare,
    leaseSeconds: after.leaseSeconds,
    isRequeued: isRankingChanged,
  };
}
