import type { TBackgroundFailure } from "@/lib/jobs/contract.ts";
import { getPool } from "../db/pool.ts";

/** The workspace's background tasks that failed for good and have not succeeded since, latest first. */
export async function listBackgroundFailures(opts: { workspaceId: number }): Promise<TBackgroundFailure[]> {
  const { rows } = await getPool().query<TBackgroundFailure>(
    `SELECT task, message AS reason, failures,
            to_char(first_failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "firstFailedAt",
            to_char(failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "failedAt"
       FROM background_failure WHERE workspace_id = $1 ORDER BY failed_at DESC`,
    [opts.workspaceId],
  );
  return rows;
}
