import { getBoss } from "./boss.ts";
import { QUEUES, type TRequeueJob, type TScoreJob, type TSnapshotJob, type TTrainJob, workspaceKey } from "./queues.ts";

/** jobId is null when an identical job was already waiting (the request is folded into it). */
export type TEnqueueResult = { jobId: string | null; isAlreadyQueued: boolean };

const result = (jobId: string | null): TEnqueueResult => ({ jobId, isAlreadyQueued: jobId === null });

/**
 * Asks the workers to score the workspace's unscored excerpts with its active model. Cheap to call
 * after every import batch: while a scoring job for the workspace is waiting, further calls are
 * no-ops, and a call during a running job leaves exactly one follow-up to catch the new rows.
 */
export async function enqueueScoring(workspaceId: number): Promise<TEnqueueResult> {
  const boss = await getBoss();
  const data: TScoreJob = { workspaceId };
  return result(await boss.send(QUEUES.score, data, { singletonKey: workspaceKey(workspaceId) }));
}

/** Trains a candidate model version (not activated) from the workspace's labels. */
export async function enqueueTraining(opts: { workspaceId: number; trainedById: number | null }): Promise<TEnqueueResult> {
  const boss = await getBoss();
  const data: TTrainJob = { workspaceId: opts.workspaceId, trainedById: opts.trainedById };
  return result(await boss.send(QUEUES.train, data, { singletonKey: workspaceKey(opts.workspaceId) }));
}

/** Rebuilds the workspace's review queue (after a model or ranking-setting change). */
export async function enqueueRequeue(workspaceId: number): Promise<TEnqueueResult> {
  const boss = await getBoss();
  const data: TRequeueJob = { workspaceId };
  return result(await boss.send(QUEUES.requeue, data, { singletonKey: workspaceKey(workspaceId) }));
}

/** Builds a dataset snapshot on a worker (one job per snapshot; a second send for it is folded in). */
export async function enqueueSnapshot(snapshotId: number): Promise<TEnqueueResult> {
  const boss = await getBoss();
  const data: TSnapshotJob = { snapshotId };
  return result(await boss.send(QUEUES.snapshot, data, { singletonKey: `snapshot:${snapshotId}` }));
}
