import { getPool } from "../db/pool.ts";

/**
 * Workspaces that have an active model and at least one excerpt without a prediction from it: the
 * safety sweep re-enqueues scoring for them, so work lost to a crash or a dropped enqueue resumes.
 * EXISTS stops at the first unscored row, so a fully scored workspace costs one index probe per
 * excerpt only when nothing is pending (the sweep runs once a minute, not per request).
 */
export async function findWorkspacesWithUnscoredExcerpts(): Promise<number[]> {
  const { rows } = await getPool().query<{ id: number }>(
    `SELECT w.id
       FROM workspace w
      WHERE w.active_model_version_id IS NOT NULL
        AND EXISTS (
          SELECT 1 FROM excerpt e
           WHERE e.workspace_id = w.id
             -- "+ 0": looked up by excerpt, never by version (score-pending-excerpts.ts PENDING_EXCERPTS_SQL says why)
             AND NOT EXISTS (
               SELECT 1 FROM prediction p
                WHERE p.excerpt_id = e.id AND p.model_version_id + 0 = w.active_model_version_id))
      ORDER BY w.id`,
  );
  return rows.map((r) => r.id);
}
