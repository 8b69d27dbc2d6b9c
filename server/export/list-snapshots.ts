import type { TSnapshotSummary } from "@/lib/export/api-types.ts";
import { getPool } from "../db/pool.ts";
import { SNAPSHOT_SELECT, toSummary, type TSnapshotDbRow } from "./get-snapshot.ts";

/** The workspace's snapshots, newest first. */
export async function listSnapshots(opts: { workspaceId: number; limit?: number }): Promise<TSnapshotSummary[]> {
  const { rows } = await getPool().query<TSnapshotDbRow>(`${SNAPSHOT_SELECT} WHERE s.workspace_id = $1 ORDER BY s.id DESC LIMIT $2`, [
    opts.workspaceId,
    Math.min(opts.limit ?? 100, 500),
  ]);
  return rows.map(toSummary);
}
