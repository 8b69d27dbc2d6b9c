import { getPool } from "../db/pool.ts";
import { IMPORT_HEARTBEAT_MS, STORED_ERRORS } from "./run-import.ts";

/**
 * A running batch without a heartbeat for this long lost its process. Twelve missed beats
 * (IMPORT_HEARTBEAT_MS apart): a busy event
 * loop or a slow database delays a beat by seconds, not minutes; a killed process never beats again.
 */
export const STALLED_IMPORT_AFTER_S = (12 * IMPORT_HEARTBEAT_MS) / 1000;

/**
 * Fails the workspace's "running" imports whose process died (killed, crashed, its machine lost): such a
 * process cannot mark its own batch, which used to stay "running" for ever. Run by whoever reads batches
 * (the import list and a batch's status), so no background job has to be alive for it. What the dead
 * process committed stays, chunk by chunk, with the counters its chunks wrote; importing the same file
 * again adds the rest and counts the rows already there as duplicates. A process that was only slow and
 * is still alive corrects the status when it finishes (its final write sets done or failed outright).
 */
export async function failStalledImports(opts: { workspaceId: number }): Promise<number> {
  const { rowCount } = await getPool().query(
    `UPDATE import_batch
        SET status = 'failed', finished_at = heartbeat_at,
            errors = (CASE WHEN jsonb_array_length(errors) >= $3 THEN errors - (jsonb_array_length(errors) - 1) ELSE errors END)
                     || jsonb_build_array(jsonb_build_object('line', NULL, 'reason',
                          'The import stopped before it finished: the process running it ended (no sign of life since '
                          || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC). The '
                          || to_char(inserted_rows, 'FM999,999,999,990') || ' rows it committed are kept; import the same file again to add the rest '
                          || '(rows already imported are counted as duplicates, nothing is stored twice).'))
      WHERE workspace_id = $1 AND status = 'running' AND heartbeat_at < now() - make_interval(secs => $2)`,
    [opts.workspaceId, STALLED_IMPORT_AFTER_S, STORED_ERRORS],
  );
  return rowCount ?? 0;
}
