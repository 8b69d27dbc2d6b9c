import type PgBoss from "pg-boss";
import { getPool } from "../db/pool.ts";
import { QUEUES, STALE_AFTER_SECONDS, type TRequeueJob, type TScoreJob, type TSnapshotJob, type TTrainJob } from "./queues.ts";
import { recordBackgroundFailure, recordSnapshotFailure } from "./record-background-failure.ts";
import { isJobRunningHere } from "./renew-job.ts";

export const DEAD_WORKER_MESSAGE = "its worker stopped renewing it (presumed dead)";

/**
 * Fails, through pg-boss (so the queue's retries apply), every active job of a renewing queue whose last
 * renewal is older than its STALE_AFTER_SECONDS: its worker died (renew-job.ts stops with the process).
 * Every worker runs this every few seconds; two doing it at once fail the same job once (pg-boss only
 * fails active jobs). A job that died on its last attempt is not retried, and its handler never ran to
 * say so, so the user-visible record is marked failed here (a snapshot otherwise stayed "running"
 * forever). A job this process is running itself is never failed: its renewals are late, not stopped.
 * Returns how many jobs it failed.
 */
export async function failStaleJobs(boss: PgBoss): Promise<number> {
  const names = Object.keys(STALE_AFTER_SECONDS);
  const seconds = names.map((n) => STALE_AFTER_SECONDS[n]!);
  const { rows } = await getPool().query<{ name: string; id: string; data: unknown; is_last_attempt: boolean }>(
    `SELECT j.name, j.id, j.data, j.retry_count >= j.retry_limit AS is_last_attempt
       FROM pgboss.job j JOIN unnest($1::text[], $2::int[]) AS s(name, seconds) ON s.name = j.name
      WHERE j.state = 'active' AND j.started_on < now() - make_interval(secs => s.seconds)`,
    [names, seconds],
  );
  let failed = 0;
  for (const r of rows) {
    // this process is running it, so its worker is alive: the renewals were only late (a long
    // synchronous stretch of training on a loaded machine), and failing it would run it twice
    if (isJobRunningHere(r.id)) continue;
    await boss.fail(r.name, r.id, { message: `${DEAD_WORKER_MESSAGE}; ${r.is_last_attempt ? "no retries left" : "retried on another worker"}` });
    failed++;
    if (r.is_last_attempt) await markGivenUp(r.name, r.data);
  }
  return failed;
}

const GIVEN_UP = "its worker stopped (crashed or was killed) on the last attempt";

/** The record a user watches for a job that will not run again: failed, with the reason (and the workspace's banner). */
async function markGivenUp(queue: string, data: unknown): Promise<void> {
  if (queue === QUEUES.snapshot) {
    const { snapshotId } = data as TSnapshotJob;
    await getPool().query(
      `UPDATE dataset_snapshot SET status = 'failed', finished_at = now(),
              error = 'The worker building it stopped (crashed or was killed) on its last attempt; create the snapshot again.'
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [snapshotId],
    );
    await recordSnapshotFailure({ snapshotId, reason: GIVEN_UP });
  } else if (queue === QUEUES.train) {
    const { workspaceId } = data as TTrainJob;
    // runTraining would have resumed this run on a retry; with none left it would say "training" forever
    await getPool().query(
      `UPDATE training_run SET status = 'failed', finished_at = now(), message = 'The worker training it stopped (crashed or was killed) on its last attempt; start training again.'
        WHERE workspace_id = $1 AND status IN ('queued', 'training', 'evaluating')`,
      [workspaceId],
    );
    await recordBackgroundFailure({ workspaceId, task: "train", reason: GIVEN_UP });
  } else if (queue === QUEUES.score || queue === QUEUES.requeue) {
    const { workspaceId } = data as TScoreJob | TRequeueJob;
    await recordBackgroundFailure({ workspaceId, task: queue === QUEUES.score ? "score" : "requeue", reason: GIVEN_UP });
  }
}
