import { getPool } from "../db/pool.ts";
import { enqueueTraining } from "../jobs/enqueue.ts";
import type { TTrainingRun } from "@/lib/registry/contract.ts";
import { toTrainingRun, TRAINING_RUN_SELECT, type TTrainingRunRow } from "./training-run.ts";

/**
 * "Train new version": records a queued training run and hands it to the background workers. While
 * a run of the workspace is unfinished, another request joins it (isAlreadyRunning) instead of
 * stacking a second training on the same labels. The worker's sweep requests automatic runs
 * (isAuto): when one finishes, the training job promotes its version if it is not worse on the gold set.
 */
export async function requestTraining(options: {
  workspaceId: number;
  requestedById: number | null;
  /** requested by the sweep after workspace.retrain_every new labels */
  isAuto?: boolean;
  /** why, shown on the run until a worker picks it up (automatic runs) */
  reason?: string;
  /** automatic runs: how many new human labels triggered it (the registry says "after N new labels") */
  newLabels?: number;
}): Promise<{ run: TTrainingRun; isAlreadyRunning: boolean }> {
  const { workspaceId, requestedById } = options;
  const isAuto = options.isAuto ?? false;
  const pool = getPool();
  // A run no worker finished within the training job's expiry (no worker running, or it died past
  // pg-boss's retries) would block every later request: close it with a message that says why.
  await pool.query(
    `UPDATE training_run SET status = 'failed', finished_at = now(),
            message = 'No worker finished this run within an hour; is \`npm run worker\` running? Requested again.'
      WHERE workspace_id = $1 AND status IN ('queued', 'training', 'evaluating') AND coalesce(started_at, created_at) < now() - interval '1 hour'`,
    [workspaceId],
  );
  const { rows: created } = await pool.query<{ id: number }>(
    `INSERT INTO training_run (workspace_id, requested_by_id, is_auto, status, message, new_labels) VALUES ($1, $2, $3, 'queued', $4, $5)
     ON CONFLICT (workspace_id) WHERE status IN ('queued', 'training', 'evaluating') DO NOTHING
     RETURNING id`,
    [workspaceId, requestedById, isAuto, options.reason ? `${options.reason}; waiting for a worker` : "Waiting for a worker", options.newLabels ?? null],
  );
  const isAlreadyRunning = created.length === 0;
  if (!isAlreadyRunning) {
    try {
      await enqueueTraining({ workspaceId, trainedById: requestedById });
    } catch (err) {
      // A run nobody will pick up would block every later request: fail it, visibly.
      await pool.query(`UPDATE training_run SET status = 'failed', message = $2, finished_at = now() WHERE id = $1`, [
        created[0].id,
        `Could not queue the training job (${(err as Error).message}); check the database and retry.`,
      ]);
      throw err;
    }
  }
  const { rows } = await pool.query<TTrainingRunRow>(
    `${TRAINING_RUN_SELECT} WHERE r.workspace_id = $1 AND ${isAlreadyRunning ? "r.status IN ('queued', 'training', 'evaluating')" : "r.id = $2"} ORDER BY r.id DESC LIMIT 1`,
    isAlreadyRunning ? [workspaceId] : [workspaceId, created[0].id],
  );
  return { run: toTrainingRun(rows[0]), isAlreadyRunning };
}
