import type { TImportBatch } from "@/lib/import/types.ts";
import { getPool } from "../db/pool.ts";
import { failStalledImports } from "./fail-stalled-imports.ts";
import { toImportBatch } from "./get-import-batch.ts";

/** The workspace's most recent imports, newest first (the import page's history). */
export async function listImportBatches(opts: { workspaceId: number; limit?: number }): Promise<TImportBatch[]> {
  await failStalledImports({ workspaceId: opts.workspaceId });
  const { rows } = await getPool().query(
    `SELECT id, filename, format, status, total_rows, inserted_rows, duplicate_rows, labelled_rows, error_rows,
            errors, created_at, finished_at
       FROM import_batch WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2`,
    [opts.workspaceId, Math.min(Math.max(opts.limit ?? 20, 1), 100)],
  );
  return rows.map(toImportBatch);
}
