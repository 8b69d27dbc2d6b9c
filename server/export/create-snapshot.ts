import { parseSnapshotParams, type TSnapshotParams, type TSnapshotParamsInput } from "@/lib/export/params.ts";
import type { TSnapshotSummary } from "@/lib/export/api-types.ts";
import { AppError } from "@/lib/errors.ts";
import { inTransaction } from "../db/transaction.ts";
import { getSnapshot } from "./get-snapshot.ts";
import { recordExport } from "./record-export.ts";
import { runSnapshotJob } from "./run-snapshot-job.ts";

export type TCreateSnapshotOptions = {
  workspaceId: number;
  userId: number | null;
  params: TSnapshotParamsInput;
  /** "background" (default): start the job and return at once; "none": the caller runs runSnapshotJob itself */
  run?: "background" | "none";
  action?: "create" | "cli";
};

/**
 * Records a new snapshot (queued) and the export in the audit log in one transaction, then starts its
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
  if ((opts.run ?? "background") === "background") startSnapshotJob(id);
  return getSnapshot({ workspaceId: opts.workspaceId, snapshotId: id });
}

/**
 * Runs the job in this process without blocking the caller. The job's only input is the id, so moving
 * it to a pg-boss queue is a one-line change here (send { snapshotId } and call runSnapshotJob in the worker).
 */
export function startSnapshotJob(snapshotId: number): void {
  void runSnapshotJob({ snapshotId }).catch((err: Error) => console.error(`[export] snapshot ${snapshotId} failed: ${err.message}`));
}
