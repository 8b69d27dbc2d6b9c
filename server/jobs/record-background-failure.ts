import type { TBackgroundTask } from "@/lib/jobs/contract.ts";
import { getPool } from "../db/pool.ts";

/** Longest reason kept: error messages can carry a whole stack or SQL text. */
const MAX_REASON = 1000;

/**
 * A workspace's background task failed for good (its last retry, or its worker died on the last attempt):
 * keep the reason where the workspace's users are shown it (GET …/jobs, the banner on its pages).
 * A repeat of the same task's failure updates the row (count, time, latest reason).
 */
export async function recordBackgroundFailure(opts: { workspaceId: number; task: TBackgroundTask; reason: string }): Promise<void> {
  // NUL cannot be stored in text, and a failure record must not fail on its own message
  const reason = opts.reason.replaceAll("\u0000", "").slice(0, MAX_REASON) || "no reason given";
  await getPool().query(
    `INSERT INTO background_failure (workspace_id, task, message) SELECT id, $2, $3 FROM workspace WHERE id = $1
     ON CONFLICT (workspace_id, task) DO UPDATE SET message = EXCLUDED.message, failed_at = now(), failures = background_failure.failures + 1`,
    [opts.workspaceId, opts.task, reason],
  );
}

/** The task has run to the end again: its failure is no longer news. */
export async function clearBackgroundFailure(opts: { workspaceId: number; task: TBackgroundTask }): Promise<void> {
  await getPool().query(`DELETE FROM background_failure WHERE workspace_id = $1 AND task = $2`, [opts.workspaceId, opts.task]);
}

/** recordBackgroundFailure for a snapshot's job, whose data names only the snapshot. */
export async function recordSnapshotFailure(opts: { snapshotId: number; reason: string }): Promise<void> {
  const { rows } = await getPool().query<{ workspace_id: number }>(`SELECT workspace_id FROM dataset_snapshot WHERE id = $1`, [opts.snapshotId]);
  if (rows[0]) await recordBackgroundFailure({ workspaceId: rows[0].workspace_id, task: "snapshot", reason: `snapshot ${opts.snapshotId}: ${opts.reason}` });
}

/** clearBackgroundFailure for a snapshot that was built. */
export async function clearSnapshotFailure(opts: { snapshotId: number }): Promise<void> {
  await getPool().query(`DELETE FROM background_failure WHERE task = 'snapshot' AND workspace_id = (SELECT workspace_id FROM dataset_snapshot WHERE id = $1)`, [
    opts.snapshotId,
  ]);
}
