import { db } from "../db/client.ts";
import { requeueWorkspace } from "../queue/requeue-workspace.ts";
import type { TWorkspaceSettings } from "@/lib/workspace/contract.ts";

type TUpdateOptions = { workspaceId: number; settings: TWorkspaceSettings };

/**
 * Saves the queue settings. Threshold, strategy, flagged tier, random share and near-duplicate spacing
 * change open items' priorities, so those changes re-rank the queue (requeueWorkspace, which
 * spaces its head too); a lease change does not. The overlap share applies to items entering the queue from
 * now on (an item's overlap is decided once, on entry). Automatic retrain (retrainEvery) is read by the
 * worker's next sweep.
 */
export async function updateWorkspaceSettings({
  workspaceId,
  settings,
}: TUpdateOptions): Promise<Required<Omit<TWorkspaceSettings, "isFlagThresholdFromModel">> & { flagThresholdSource: string; isRequeued: boolean }> {
  const prisma = db();
  const before = await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  const { isFlagThresholdFromModel, ...values } = settings;
  // Who owns the threshold (activate-version.ts): a changed value is the admin's from now on, and
  // promotions keep it; handing it back takes the active version's calibrated default (0.5 without one).
  const threshold = isFlagThresholdFromModel
    ? await activeModelThreshold(before.activeModelVersionId)
    : values.flagThreshold !== before.flagThreshold
      ? { flagThreshold: values.flagThreshold, flagThresholdSource: "admin" }
      : { flagThreshold: before.flagThreshold, flagThresholdSource: before.flagThresholdSource };
  const after = await prisma.workspace.update({ where: { id: workspaceId }, data: { ...values, ...threshold } });
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
    flagThresholdSource: after.flagThresholdSource,
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

async function activeModelThreshold(modelVersionId: number | null): Promise<{ flagThreshold: number; flagThresholdSource: string }> {
  const version = modelVersionId === null ? null : await db().modelVersion.findUnique({ where: { id: modelVersionId }, select: { manifest: true } });
  const calibration = (version?.manifest as { calibration?: { flagThreshold?: unknown } } | undefined)?.calibration;
  return typeof calibration?.flagThreshold === "number"
    ? { flagThreshold: calibration.flagThreshold, flagThresholdSource: "model" }
    : { flagThreshold: 0.5, flagThresholdSource: "default" };
}
