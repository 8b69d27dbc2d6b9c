import { db } from "../db/client.ts";
import { requeueWorkspace } from "../model/requeue-workspace.ts";
import type { TWorkspaceSettings } from "./schemas.ts";

type TUpdateOptions = { workspaceId: number; settings: TWorkspaceSettings };

/**
 * Saves the queue settings. Threshold, strategy and random share change every open item's
 * priority, so those changes re-rank the queue (requeueWorkspace); a lease change does not. The overlap
 * share applies to items entering the queue from now on (an item's overlap is decided once, on entry).
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
    overlapShare: after.overlapShare,
    leaseSeconds: after.leaseSeconds,
    isRequeued: isRankingChanged,
  };
}
