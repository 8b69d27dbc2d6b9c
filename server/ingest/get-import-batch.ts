import { AppError } from "@/lib/errors.ts";
import type { TImportBatch, TImportBatchError, TImportBatchStatus } from "@/lib/import/types.ts";
import { getPool } from "../db/pool.ts";
import { failStalledImports } from "./fail-stalled-imports.ts";

/** One import batch of a workspace, with its counters and first errors (GET /api/imports/[id]). */
export async function getImportBatch(opts: { workspaceId: number; importBatchId: number }): Promise<TImportBatch> {
  await failStalledImports({ workspaceId: opts.workspaceId });
  const { rows } = await getPool().query(
    `SELECT id, filename, format, status, total_rows, inserted_rows, duplicate_rows, labelled_rows, error_rows,
            errors, created_at, finished_at
       FROM import_batch WHERE id = $1 AND workspace_id = $2`,
    [opts.importBatchId, opts.workspaceId],
  );
  const row = rows[0];
  if (!row) throw new AppError("NOT_FOUND", `Import ${opts.importBatchId} does not exist in this workspace.`);
  return toImportBatch(row);
}

export function toImportBatch(row: Record<string, unknown>): TImportBatch {
  return {
    id: row.id as number,
    filename: row.filename as string,
    format: row.format as string,
    status: row.status as TImportBatchStatus,
    totalRows: row.total_rows as number,
    insertedRows: row.inserted_rows as number,
    duplicateRows: row.duplicate_rows as number,
    labelledRows: row.labelled_rows as number,
    errorRows: row.error_rows as number,
    errors: row.errors as TImportBatchError[],
    createdAt: (row.created_at as Date).toISOString(),
    finishedAt: row.finished_at ? (row.finished_at as Date).toISOString() : null,
  };
}
