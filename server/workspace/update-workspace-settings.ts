import { db } from "../db/client.ts";
import { requeueWorkspace } from "../model/requeue-workspace.ts";
import type { TWorkspaceSettings } from "./schemas.ts";

type TUpdateOptions = { workspaceId: number; settings: TWorkspaceSettings };

/**
 * Saves the queue settings. Threshold, strategy, flagged tier, random share and near-duplicate spacing
 * change open items' priorities, so those changes re-rank the queue (requeueWorkspace, which
 * spaces its head too); a lease change does not. The overlap share applies to items entering the queue from
 * now on (an item's overlap is decided once, on entry). Automatic retrain (retrainEvery) is read by the
 * worker's next sweep.
 */
export async function updateWorkspaceSettings({ workspaceId, settings }: TUpdateOptions): Promise<Required<TWorkspaceSettings> & { isRequeued: boolean }> {
  const prisma = db();
  const before = await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  const after = await prisma.workspace.update({ where: { id: workspaceId }, data: settings });
  const isRankingChanged =
    before.flagThreshold !== after.flagThreshold ||
    before.rankStrategy !== after.rankStrategy ||
    before.isFlaggedFirst !== after.isFlaggedFirst ||
    before.randomShare !== after.randomShare ||
    before.maxSimilarity !== after.maxSimilarity;
  // requeue re-ranks and then spaces the head with the new settings
  if (isRankingChanged) await requeueWorkspace({ workspaceId });
  return {
    flagThreshold: after.flagThreshold,
    rankStrategy: after.rankStrategy,
    isFlaggedFirst: after.isFlaggedFirst,
    maxSimilarity: after.maxSimilarity,
    randomShare: after.randomShare,
    overlapShare: after.overlapShare,
    leaseSeconds: after.leaseSeconds,
    retrainEvery: after.retrainEvery,
    isRequeued: isRankingChanged,
  };
}
