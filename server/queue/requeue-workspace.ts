import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";
import { spaceQueueHead, type TSpaceQueueHeadResult } from "./space-queue-head.ts";
import { RANK_SETTING_COLUMNS, queueFields, rankSettingsOf, type TRankSettingRow } from "@/lib/ranking/queue-fields.ts";

export type TRequeueWorkspaceOptions = { workspaceId: number; batchSize?: number };

const REQUEUE_BATCH_SIZE = 5000;

/**
 * One batch of the open queue in excerpt order, with each item's prediction by the active version. The
 * prediction is probed per queue item through (excerpt_id, model_version_id) ('model_version_id + 0'):
 * right after a promotion the statistics may still say the new version has almost no predictions, and
 * the planner then drove the batch from prediction(model_version_id), reading every prediction of the
 * version for each batch (server/model/score-pending-excerpts.ts had the same trap).
 */
export const REQUEUE_BATCH_SQL = `SELECT q.excerpt_id::text, p.id::text AS prediction_id, p.probs, q.is_audit,
        (extract(epoch FROM coalesce(e.occurred_at, e.created_at)) * 1000)::float8 AS occurred_ms,
        e.api_key_id IS NOT NULL AS is_live
   FROM queue_item q
   JOIN prediction p ON p.excerpt_id = q.excerpt_id AND p.model_version_id + 0 = $2
   JOIN excerpt e ON e.id = q.excerpt_id
  WHERE q.workspace_id = $1 AND q.is_open AND q.excerpt_id > $3::bigint
  ORDER BY q.excerpt_id
  LIMIT $4`;

/**
 * Re-ranks the workspace's open queue items from the ACTIVE model's predictions: after a promotion,
 * or a change of flag threshold, strategy, flagged tier or random share. Live items (machine API traffic)
 * keep the audit flag they were routed with (see queueFields). Walks the items in id order,
 * one short UPDATE per batch (row locks held for milliseconds, so moderators claiming at the same time
 * never wait long); leases are left alone. Items the active model has not scored yet are skipped: the
 * scorer ranks them when it writes their prediction. Re-ranking writes ranked priorities, which undoes
 * near-duplicate spacing, so it ends by spacing the queue head again (server/queue/space-queue-head.ts):
 * every caller gets a queue in serving order.
 */
export async function requeueWorkspace(options: TRequeueWorkspaceOptions): Promise<{ requeued: number; spaced: TSpaceQueueHeadResult }> {
  const requeued = await rerankOpenItems(options);
  const spaced = await spaceQueueHead({ workspaceId: options.workspaceId });
  return { requeued, spaced };
}

async function rerankOpenItems(options: TRequeueWorkspaceOptions): Promise<number> {
  const { workspaceId } = options;
  const batchSize = Math.max(1, options.batchSize ?? REQUEUE_BATCH_SIZE);
  const pool = getPool();
  const { rows: ws } = await pool.query<TRankSettingRow & { active_model_version_id: number | null; manifest: { nonToxicIndex?: number } | null }>(
    `SELECT w.active_model_version_id, ${RANK_SETTING_COLUMNS}, m.manifest
       FROM workspace w LEFT JOIN model_version m ON m.id = w.active_model_version_id
      WHERE w.id = $1`,
    [workspaceId],
  );
  if (!ws[0]) throw new AppError("NOT_FOUND", `Workspace ${workspaceId} does not exist.`);
  const modelVersionId = ws[0].active_model_version_id;
  if (modelVersionId === null) return 0;
  const nonToxicIndex = ws[0].manifest?.nonToxicIndex;
  if (typeof nonToxicIndex !== "number") throw new AppError("VALIDATION", `Model version ${modelVersionId} has no nonToxicIndex in its manifest.`);
  const settings = rankSettingsOf(ws[0], nonToxicIndex);

  let requeued = 0;
  let cursor = "0";
  for (;;) {
    const { rows } = await pool.query<{ excerpt_id: string; prediction_id: string; probs: number[]; occurred_ms: number; is_live: boolean; is_audit: boolean }>(
      REQUEUE_BATCH_SQL,
      [workspaceId, modelVersionId, cursor, batchSize],
    );
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1].excerpt_id;
    const fields = rows.map((r) => queueFields(r.excerpt_id, r.probs, r.occurred_ms, settings, r.is_live ? { isAudit: r.is_audit } : undefined));
    const { rowCount } = await pool.query(
      `UPDATE queue_item q
          SET priority = u.priority, is_flagged = u.is_flagged, is_audit = u.is_audit, prediction_id = u.prediction_id, updated_at = now()
         FROM unnest($1::bigint[], $2::float8[], $3::bool[], $4::bool[], $5::bigint[]) AS u(excerpt_id, priority, is_flagged, is_audit, prediction_id)
        WHERE q.excerpt_id = u.excerpt_id AND q.is_open
          AND (q.priority, q.is_flagged, q.is_audit, q.prediction_id) IS DISTINCT FROM (u.priority, u.is_flagged, u.is_audit, u.prediction_id)`,
      [
        rows.map((r) => r.excerpt_id),
        fields.map((f) => f.priority),
        fields.map((f) => f.isFlagged),
        fields.map((f) => f.isAudit),
        rows.map((r) => r.prediction_id),
      ],
    );
    requeued += rowCount ?? 0;
    if (rows.length < batchSize) break;
  }
  return requeued;
}
