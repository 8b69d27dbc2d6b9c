import type pg from "pg";
import { AppError } from "@/lib/errors.ts";

export type TActivateVersionResult = {
  previousActiveId: number | null;
  /** the workspace's flag threshold after activation, and whether the version's default set it */
  flagThreshold: number;
  isThresholdFromModel: boolean;
};

/**
 * Inside a transaction: makes the version the workspace's active one, archives the previous active
 * version, and points workspace.active_model_version_id at it. The workspace row is locked first, so
 * two promotions at once serialise and exactly one version ends up active. The lock is FOR NO KEY UPDATE,
 * the one its own UPDATE of the row takes: FOR UPDATE also blocked every insert that references the
 * workspace (a foreign key check takes FOR KEY SHARE), so each moderator's decision, and each keyed
 * request's idempotency row, waited for the promotion to commit.
 *
 * The flag threshold follows the model unless an admin owns it (workspace.flag_threshold_source):
 * a threshold is a cut on one model's scores, so the version's own default (manifest
 * calibration.flagThreshold, chosen on its calibrated out-of-fold scores) replaces a default or
 * model-set threshold, and a version without one puts the plain 0.5 back. A threshold an admin typed
 * or calibrated on the gold set ('admin') is never overwritten by a promotion.
 */
export async function activateVersion(
  client: pg.PoolClient,
  opts: { workspaceId: number; modelVersionId: number; expectedActiveId?: number | null },
): Promise<TActivateVersionResult> {
  const { rows: ws } = await client.query<{ active_model_version_id: number | null; active_version: string | null }>(
    `SELECT w.active_model_version_id, (SELECT mv.version FROM model_version mv WHERE mv.id = w.active_model_version_id) AS active_version
       FROM workspace w WHERE w.id = $1 FOR NO KEY UPDATE OF w`,
    [opts.workspaceId],
  );
  if (!ws[0]) throw new AppError("NOT_FOUND", `Workspace ${opts.workspaceId} does not exist.`);
  const previousActiveId = ws[0].active_model_version_id;
  // checked under the workspace lock: of two people promoting from the same page, the second is told
  if (opts.expectedActiveId !== undefined && opts.expectedActiveId !== previousActiveId) throw activeChanged(previousActiveId, ws[0].active_version);
  await client.query(`UPDATE model_version SET status = 'archived' WHERE workspace_id = $1 AND status = 'active' AND id <> $2`, [
    opts.workspaceId,
    opts.modelVersionId,
  ]);
  const { rowCount } = await client.query(`UPDATE model_version SET status = 'active', promoted_at = now() WHERE id = $1 AND workspace_id = $2`, [
    opts.modelVersionId,
    opts.workspaceId,
  ]);
  if (rowCount !== 1) throw new AppError("NOT_FOUND", `Model version ${opts.modelVersionId} does not exist in this workspace; reload the model registry.`);
  const { rows } = await client.query<{ flag_threshold: number; flag_threshold_source: string }>(
    `UPDATE workspace w
        SET active_model_version_id = $2,
            flag_threshold = CASE WHEN w.flag_threshold_source = 'admin' THEN w.flag_threshold ELSE coalesce(d.threshold, 0.5) END,
            flag_threshold_source = CASE WHEN w.flag_threshold_source = 'admin' THEN 'admin' WHEN d.threshold IS NULL THEN 'default' ELSE 'model' END
       FROM (SELECT CASE WHEN jsonb_typeof(manifest->'calibration'->'flagThreshold') = 'number'
                         THEN (manifest->'calibration'->>'flagThreshold')::float8 END AS threshold
               FROM model_version WHERE id = $2) d
      WHERE w.id = $1
      RETURNING w.flag_threshold, w.flag_threshold_source`,
    [opts.workspaceId, opts.modelVersionId],
  );
  return {
    previousActiveId: previousActiveId === opts.modelVersionId ? null : previousActiveId,
    flagThreshold: rows[0].flag_threshold,
    isThresholdFromModel: rows[0].flag_threshold_source === "model",
  };
}

/** The answer to a promotion or rollback decided on a page that showed another active version. */
export function activeChanged(activeModelVersionId: number | null, activeVersion: string | null): AppError {
  return new AppError(
    "CONFLICT",
    `The active model changed since you looked (it is now ${activeVersion ?? "none"}). Reload the model registry and decide again.`,
    { activeModelVersionId },
  );
}

/** The same check before any slow work (the gold-set comparison); activateVersion checks again under the lock. */
export async function assertExpectedActive(runner: Pick<pg.Pool, "query">, opts: { workspaceId: number; expectedActiveId?: number | null }): Promise<void> {
  if (opts.expectedActiveId === undefined) return;
  const { rows } = await runner.query<{ id: number | null; version: string | null }>(
    `SELECT w.active_model_version_id AS id, mv.version FROM workspace w LEFT JOIN model_version mv ON mv.id = w.active_model_version_id WHERE w.id = $1`,
    [opts.workspaceId],
  );
  if (rows[0] && rows[0].id !== opts.expectedActiveId) throw activeChanged(rows[0].id, rows[0].version);
}
