import type PgBoss from "pg-boss";
import { getPool } from "../db/pool.ts";
import { requeueWorkspace } from "../queue/requeue-workspace.ts";
import { scorePendingExcerpts } from "../model/score-pending-excerpts.ts";
import { pruneAuthRecords } from "../auth/prune-auth-records.ts";
import { pruneIdempotentRequests } from "../idempotency/run-idempotent.ts";
import { pruneQueueClaims } from "../queue/prune-queue-claims.ts";
import { spaceQueueHead, type TSpaceQueueHeadResult } from "../queue/space-queue-head.ts";
import { requestDueRetrains, type TDueRetrain } from "../registry/request-due-retrains.ts";
import { runTraining } from "../registry/run-training.ts";
import { scoreShadowExcerpts } from "../registry/score-shadow-excerpts.ts";
import { getBoss, stopBoss } from "../jobs/boss.ts";
import { enqueueScoring } from "../jobs/enqueue.ts";
import { findWorkspacesWithUnscoredExcerpts } from "../jobs/find-workspaces-with-unscored-excerpts.ts";
import { refreshDashboard } from "../dashboard/refresh-dashboard.ts";
import { startWebhookWorker } from "../webhooks/start-webhook-worker.ts";
import {
  JOB_MAINTENANCE_SECONDS,
  QUEUES,
  SCORE_SLICE_MS,
  SWEEP_CRON,
  type TRequeueJob,
  type TScoreJob,
  type TSnapshotJob,
  type TTrainJob,
} from "../jobs/queues.ts";
import { failStaleJobs } from "../jobs/fail-stale-jobs.ts";
import { clearBackgroundFailure, clearSnapshotFailure, recordBackgroundFailure, recordSnapshotFailure } from "../jobs/record-background-failure.ts";
import type { TBackgroundTask } from "@/lib/jobs/contract.ts";
import { withJobRenewal } from "../jobs/renew-job.ts";
import { AppError } from "@/lib/errors.ts";
import { runSnapshotJob } from "../export/run-snapshot-job.ts";

export type TWorkerOptions = {
  /** parallel scoring jobs in this process (different workspaces); training and requeue run one at a time */
  scoringConcurrency?: number;
  pollingIntervalSeconds?: number;
  /** register the once-a-minute safety sweep (all workers may; pg-boss fires each minute once) */
  hasSweep?: boolean;
  /** how long one scoring job keeps going before handing the rest to a fresh job */
  scoreSliceMs?: number;
  log?: (message: string) => void;
  /** serve only these queues (default: all); the e2e run uses a snapshot-only worker so nothing re-scores its fixture */
  only?: readonly ("score" | "train" | "requeue" | "snapshot" | "webhook")[];
};

export type TWorkerHandle = {
  /** stops fetching, waits up to timeoutMs for running jobs, then closes the job pool */
  stop: (opts?: { timeoutMs?: number }) => Promise<void>;
};

function spacedNote(spaced: TSpaceQueueHeadResult | undefined): string {
  return spaced && spaced.demoted > 0 ? `; ${spaced.demoted} near-duplicates wait behind the rest of the queue head` : "";
}

export type TSweepResult = {
  workspaceIds: number[];
  retrains: TDueRetrain[];
  dashboard: Awaited<ReturnType<typeof refreshDashboard>>;
  /** expired claim rows deleted (pruneQueueClaims) */
  claimsPruned: number;
  /** Idempotency-Keys older than a day deleted (pruneIdempotentRequests) */
  idempotencyKeysPruned: number;
  /** expired sessions and stale sign-in attempts deleted (pruneAuthRecords) */
  auth: Awaited<ReturnType<typeof pruneAuthRecords>>;
};

/**
 * The once-a-minute sweep: re-enqueues scoring for workspaces with unscored excerpts (work lost to a
 * crash or a dropped enqueue resumes), requests an automatic training run where enough new labels
 * have come in (workspace.retrain_every), keeps the dashboard's rollups fresh and prunes expired
 * queue claims, sessions and sign-in attempts. Here rather than after each decision: deciding stays a few milliseconds, and a
 * minute's delay costs nothing.
 */
export async function runSweep(): Promise<TSweepResult> {
  const workspaceIds = await findWorkspacesWithUnscoredExcerpts();
  for (const workspaceId of workspaceIds) await enqueueScoring(workspaceId);
  const retrains = await requestDueRetrains();
  // The manager's dashboard reads rollups; keep them fresh (a minute behind on small workspaces, less often on big ones).
  const dashboard = await refreshDashboard({ force: false });
  const { deleted: claimsPruned } = await pruneQueueClaims();
  const auth = await pruneAuthRecords();
  const { deleted: idempotencyKeysPruned } = await pruneIdempotentRequests();
  return { workspaceIds, retrains, dashboard, claimsPruned, idempotencyKeysPruned, auth };
}

/**
 * Starts this process's background worker on DATABASE_URL: scoring, training, requeue and the
 * safety sweep. Jobs live in PostgreSQL, so any number of these may run on any number of machines;
 * pg-boss hands each job to exactly one of them and retries jobs whose worker died.
 */
export async function startWorker(opts: TWorkerOptions = {}): Promise<TWorkerHandle> {
  const log = opts.log ?? ((m: string) => console.log(`[worker] ${m}`));
  const sliceMs = opts.scoreSliceMs ?? SCORE_SLICE_MS;
  const pollingIntervalSeconds = opts.pollingIntervalSeconds ?? 1;
  let isStopping = false;
  const boss = await getBoss();

  // A workspace's job that fails on its last attempt is recorded where the workspace's users see it
  // (background_failure: the banner on its pages, GET …/jobs); the next run that succeeds clears it.
  const reported =
    <TData extends { workspaceId: number }, TResult>(
      task: TBackgroundTask,
      handler: (jobs: PgBoss.JobWithMetadata<TData>[]) => Promise<TResult>,
      /** a result that is a failure all the same (a training run that recorded its failure rather than throw) */
      failureOf: (result: TResult) => string | null = () => null,
    ) =>
    async (jobs: PgBoss.JobWithMetadata<TData>[]) => {
      const job = jobs[0]!;
      const { workspaceId } = job.data;
      let result: TResult;
      try {
        result = await handler(jobs);
      } catch (err) {
        if (job.retryCount >= job.retryLimit) {
          log(`${task} for workspace ${workspaceId} failed on its last attempt: ${(err as Error).message}`);
          await recordBackgroundFailure({ workspaceId, task, reason: (err as Error).message }).catch((e: Error) =>
            log(`could not record the ${task} failure: ${e.message}`),
          );
        }
        throw err;
      }
      const failure = failureOf(result);
      await (failure === null ? clearBackgroundFailure({ workspaceId, task }) : recordBackgroundFailure({ workspaceId, task, reason: failure })).catch(
        (e: Error) => log(`could not note the ${task} outcome: ${e.message}`),
      );
      return result;
    };

  const scoreJob = async ([job]: PgBoss.JobWithMetadata<TScoreJob>[]) => {
    const { workspaceId } = job.data;
    const startedAt = Date.now();
    let scored = 0;
    let queued = 0;
    // New items enter the queue at their ranked priority; space the head again so near-duplicates
    // among them do not fill the next round (shadow scoring never touches the queue).
    const spaceIfQueued = () => (queued > 0 ? spaceQueueHead({ workspaceId }) : Promise.resolve(undefined));
    // Score batch after batch until nothing is left; past the time slice (or on shutdown) hand
    // the remainder to a fresh job so one huge backlog cannot hold a job past its expiry.
    for (;;) {
      const batch = await scorePendingExcerpts({ workspaceId });
      queued += batch.scored;
      // once the active version is done, shadow versions score what it scored (never the queue)
      if (batch.scored === 0) batch.scored = (await scoreShadowExcerpts({ workspaceId })).scored;
      scored += batch.scored;
      if (batch.scored === 0) break;
      if (isStopping || Date.now() - startedAt > sliceMs) {
        await enqueueScoring(workspaceId);
        const spaced = await spaceIfQueued();
        log(`scored ${scored} excerpts in workspace ${workspaceId}${spacedNote(spaced)}; continuing in a new job`);
        return { scored, ms: Date.now() - startedAt, isContinued: true, spaced };
      }
    }
    const spaced = await spaceIfQueued();
    if (scored > 0) log(`scored ${scored} excerpts in workspace ${workspaceId} in ${Date.now() - startedAt} ms${spacedNote(spaced)}`);
    return { scored, ms: Date.now() - startedAt, isContinued: false, spaced };
  };

  const trainJob = async ([job]: PgBoss.JobWithMetadata<TTrainJob>[]) => {
    const { workspaceId, trainedById } = job.data;
    const startedAt = Date.now();
    // A retry whose run was finished by an earlier attempt (its worker was presumed dead while it was only
    // slow, or died between finishing the run and reporting it): training again would register a second
    // version and a second run for one request.
    if (job.retryCount > 0) {
      const { rows } = await getPool().query<{ is_done: boolean }>(
        `SELECT NOT EXISTS (SELECT 1 FROM training_run WHERE workspace_id = $1 AND status IN ('queued', 'training', 'evaluating'))
            AND EXISTS (SELECT 1 FROM training_run WHERE workspace_id = $1 AND finished_at >= $2) AS is_done`,
        [workspaceId, job.createdOn],
      );
      if (rows[0].is_done) {
        log(`training job ${job.id} for workspace ${workspaceId}: its run was finished by an earlier attempt; nothing to do`);
        return { isAlreadyDone: true };
      }
    }
    // train → evaluate on the gold set → register, with the status shown on /models (training_run)
    const trained = await runTraining({ workspaceId, trainedById });
    log(`training run ${trained.trainingRunId} for workspace ${workspaceId}: ${trained.status} in ${Date.now() - startedAt} ms (${trained.message})`);
    return trained;
  };

  const requeueJob = async ([job]: PgBoss.JobWithMetadata<TRequeueJob>[]) => {
    // re-ranks the open queue (after a promotion or a ranking-setting change) and spaces its head
    const result = await requeueWorkspace({ workspaceId: job.data.workspaceId });
    log(`requeued workspace ${job.data.workspaceId}${spacedNote(result.spaced)}`);
    return result;
  };

  const sweepJob = async () => {
    const result = await runSweep();
    for (const r of result.retrains) {
      log(
        r.error === undefined
          ? `automatic retrain for workspace ${r.workspaceId} after ${r.newLabels} new labels: training run ${r.trainingRunId}${r.isAlreadyRunning ? " (already unfinished)" : " queued"}`
          : `automatic retrain for workspace ${r.workspaceId} could not be queued: ${r.error}`,
      );
    }
    return result;
  };

  const snapshotJob = async ([job]: PgBoss.JobWithMetadata<TSnapshotJob>[]) => {
    const { snapshotId } = job.data;
    const isLastAttempt = job.retryCount >= job.retryLimit;
    try {
      const manifest = await runSnapshotJob({ snapshotId });
      log(`snapshot ${snapshotId}: ${manifest.counts.rows} rows`);
      await clearSnapshotFailure({ snapshotId }).catch((e: Error) => log(`could not clear the snapshot failure: ${e.message}`));
      return { rows: manifest.counts.rows };
    } catch (err) {
      // a retry of a build that finished before its worker could report it: nothing left to do
      if (err instanceof AppError && err.code === "CONFLICT") return { isAlreadyDone: true };
      // runSnapshotJob has marked the snapshot failed with its reason; a retry may still succeed (the
      // database restarted, the disk filled up for a moment), so only the last attempt is final
      log(`snapshot ${snapshotId} failed${isLastAttempt ? "" : ", will retry"}: ${(err as Error).message}`);
      if (isLastAttempt) {
        await recordSnapshotFailure({ snapshotId, reason: (err as Error).message }).catch((e: Error) =>
          log(`could not record the snapshot failure: ${e.message}`),
        );
        return { failed: (err as Error).message };
      }
      throw err;
    }
  };

  // every handler renews its job while it runs (renew-job.ts), so a dead worker's job is taken over in seconds
  const renewed =
    <TJob extends { id: string; name: string }, TResult>(handler: (jobs: TJob[]) => Promise<TResult>) =>
    (jobs: TJob[]) =>
      withJobRenewal(jobs[0], () => handler(jobs));

  const serves = (queue: NonNullable<TWorkerOptions["only"]>[number]) => !opts.only || opts.only.includes(queue);
  const concurrency = Math.max(1, opts.scoringConcurrency ?? 1);
  const workerIds: string[] = [];
  for (let i = 0; i < (serves("score") ? concurrency : 0); i++) {
    workerIds.push(await boss.work(QUEUES.score, { batchSize: 1, pollingIntervalSeconds, includeMetadata: true }, renewed(reported("score", scoreJob))));
  }
  if (serves("train")) {
    workerIds.push(
      await boss.work(
        QUEUES.train,
        { batchSize: 1, pollingIntervalSeconds, includeMetadata: true },
        renewed(reported("train", trainJob, (r) => ("status" in r && r.status === "failed" ? r.message : null))),
      ),
    );
  }
  if (serves("requeue")) {
    workerIds.push(await boss.work(QUEUES.requeue, { batchSize: 1, pollingIntervalSeconds, includeMetadata: true }, renewed(reported("requeue", requeueJob))));
  }
  if (serves("snapshot")) {
    workerIds.push(await boss.work(QUEUES.snapshot, { batchSize: 1, pollingIntervalSeconds, includeMetadata: true }, renewed(snapshotJob)));
  }
  // webhook deliveries: the outbox dispatcher and one job per delivery (server/webhooks)
  const webhooks = serves("webhook") ? await startWebhookWorker(boss, { log }) : { stop: async () => {} };
  if ((opts.hasSweep ?? true) && !opts.only) {
    await boss.schedule(QUEUES.sweep, SWEEP_CRON, {}, { tz: "UTC" });
    workerIds.push(await boss.work(QUEUES.sweep, { batchSize: 1, pollingIntervalSeconds: 5 }, sweepJob));
  }
  // takeover of dead workers' jobs (queues.ts): every worker looks for jobs whose renewals stopped
  const staleCheck = setInterval(() => {
    if (isStopping) return;
    failStaleJobs(boss)
      .then((n) => n > 0 && log(`took over ${n} job(s) whose worker stopped renewing them`))
      .catch((err: Error) => log(`stale-job check failed: ${err.message}`));
  }, JOB_MAINTENANCE_SECONDS * 1000);
  staleCheck.unref();
  log(`started (${concurrency} scoring, 1 training, 1 requeue, 1 snapshot, webhooks${opts.hasSweep === false ? "" : ", sweep every minute"})`);

  return {
    stop: async ({ timeoutMs = 30_000 } = {}) => {
      if (isStopping) return;
      isStopping = true;
      clearInterval(staleCheck);
      log("stopping: finishing running jobs");
      await webhooks.stop();
      await stopBoss({ graceful: true, timeoutMs });
      log("stopped");
    },
  };
}
