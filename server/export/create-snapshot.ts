import { parseSnapshotParams, type TSnapshotParams, type TSnapshotParamsInput } from "@/lib/export/params.ts";
import type { TSnapshotSummary } from "@/lib/export/api-types.ts";
import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";
import { afterCommit, inTransaction } from "../db/transaction.ts";
import { getSnapshot } from "./get-snapshot.ts";
import { recordExport } from "./record-export.ts";
import { enqueueSnapshot } from "../jobs/enqueue.ts";

export type TCreateSnapshotOptions = {
  workspaceId: number;
  userId: number | null;
  params: TSnapshotParamsInput;
  /** "background" (default): start the job and return at once; "none": the caller runs runSnapshotJob itself */
  run?: "background" | "none";
  action?: "create" | "cli";
};

/**
 * Records a new snapshot (queued) and the export in the audit log in one transaction, then queues its
 * background job. The request returns immediately; clients poll the snapshot for progress.
 */
export async function createSnapshot(opts: TCreateSnapshotOptions): Promise<TSnapshotSummary> {
  let params: TSnapshotParams;
  try {
    params = parseSnapshotParams(opts.params);
  } catch (err) {
    throw new AppError("VALIDATION", (err as Error).message);
  }
  const id = await inTransaction(async (client) => {
    const ws = await client.query(`SELECT 1 FROM workspace WHERE id = $1`, [opts.workspaceId]);
    if (ws.rowCount === 0) throw new AppError("NOT_FOUND", `Workspace ${opts.workspaceId} does not exist.`);
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO dataset_snapshot (workspace_id, created_by_id, name, params) VALUES ($1, $2, $3, $4) RETURNING id`,
      [opts.workspaceId, opts.userId, params.name, JSON.stringify(params)],
    );
    const id = rows[0].id;
    await recordExport({ client, workspaceId: opts.workspaceId, userId: opts.userId, snapshotId: id, action: opts.action ?? "create", detail: { params } });
    return id;
  });
  // inside an idempotent request the row commits with its key: queue the job once a worker can see it
  if ((opts.run ?? "background") === "background") await afterCommit(() => startSnapshotJob(id));
  return getSnapshot({ workspaceId: opts.workspaceId, snapshotId: id });
}

/**
 * Hands the snapshot to the background workers (pg-boss, server/jobs): it no longer runs inside the web
 * process, where a restart left it "running" forever with no retry. A worker that dies mid-build stops
 * renewing the job and another one starts the build over (runSnapshotJob is safe to re-run). If the job
 * cannot be queued, the snapshot is marked failed with the reason, so it never sits queued for nobody.
 */
export async function startSnapshotJob(snapshotId: number): Promise<void> {
  try {
    await enqueueSnapshot(snapshotId);
  } catch (err) {
    await getPool().query(`UPDATE dataset_snapshot SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [
      snapshotId,
      `Could not queue the snapshot job (${(err as Error).message}); check the database and create it again.`,
    ]);
    throw err;
  }
}
