import type { TSnapshotDetail, TSnapshotStatus, TSnapshotSummary } from "@/lib/export/api-types.ts";
import { ZSnapshotCounts, type TSnapshotFile, type TTaxonomyEntry } from "@/lib/export/manifest.ts";
import { parseSnapshotParams } from "@/lib/export/params.ts";
import { AppError } from "@/lib/errors.ts";
import { queryRunner } from "../db/transaction.ts";

export type TSnapshotDbRow = {
  id: number;
  name: string;
  status: string;
  progress: number;
  phase: string;
  row_count: number;
  created_at: Date;
  finished_at: Date | null;
  error: string | null;
  params: unknown;
  counts: unknown;
  files: TSnapshotFile[];
  taxonomy: TTaxonomyEntry[];
  user_id: number | null;
  user_name: string | null;
  user_email: string | null;
};

export const SNAPSHOT_SELECT = `
  SELECT s.id, s.name, s.status, s.progress, s.phase, s.row_count, s.created_at, s.finished_at, s.error, s.params,
         s.counts, s.files, s.taxonomy, u.id AS user_id, u.name AS user_name, u.email AS user_email
  FROM dataset_snapshot s LEFT JOIN app_user u ON u.id = s.created_by_id`;

export function toSummary(r: TSnapshotDbRow): TSnapshotSummary {
  return {
    id: r.id,
    name: r.name,
    status: r.status as TSnapshotStatus,
    progress: r.progress,
    phase: r.phase,
    rowCount: r.row_count,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    createdBy: r.user_id !== null ? { id: r.user_id, name: r.user_name ?? "", email: r.user_email ?? "" } : null,
    error: r.error,
    params: parseSnapshotParams(r.params),
  };
}

/** One snapshot of the workspace with its counts, files and taxonomy; NOT_FOUND when absent (or another workspace's). */
export async function getSnapshot(opts: { workspaceId: number; snapshotId: number }): Promise<TSnapshotDetail> {
  const { rows } = await queryRunner().query<TSnapshotDbRow>(`${SNAPSHOT_SELECT} WHERE s.id = $1 AND s.workspace_id = $2`, [opts.snapshotId, opts.workspaceId]);
  const r = rows[0];
  if (!r) throw new AppError("NOT_FOUND", `Snapshot ${opts.snapshotId} does not exist in this workspace.`);
  const counts = ZSnapshotCounts.safeParse(r.counts);
  return { ...toSummary(r), counts: counts.success ? counts.data : null, files: r.files, taxonomy: r.taxonomy };
}
