import type pg from "pg";
import { getPool } from "../db/pool.ts";

export type TExportAction = "create" | "download" | "diff" | "cli";

/** Appends one row to the export audit log (who, when, what). The table refuses updates and deletes. */
export async function recordExport(opts: {
  workspaceId: number;
  userId: number | null;
  snapshotId: number | null;
  action: TExportAction;
  detail?: Record<string, unknown>;
  client?: pg.PoolClient;
}): Promise<void> {
  await (opts.client ?? getPool()).query(`INSERT INTO export_log (workspace_id, user_id, snapshot_id, action, detail) VALUES ($1, $2, $3, $4, $5)`, [
    opts.workspaceId,
    opts.userId,
    opts.snapshotId,
    opts.action,
    JSON.stringify(opts.detail ?? {}),
  ]);
}
