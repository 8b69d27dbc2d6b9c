import type { TAdjudicationItem, TOverlapLabel } from "@/lib/adjudication/types.ts";
import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";
import { cardsSql, toCard, type TCardRow } from "../queue/queue-cards.ts";

export type TListAdjudicationsOptions = { workspaceId: number; limit?: number };

const MAX_LIMIT = 100;

// Overlap items that are closed, not adjudicated yet, and whose moderators'
// standing labels disagree. "Standing" is the same rule as the dashboard's dash_multi_rated view: each
// moderator's latest unreversed queue/review label. Oldest first, so nothing waits forever.
const PENDING_SQL = `
WITH cand AS (
  SELECT q.excerpt_id FROM queue_item q
  WHERE q.workspace_id = $1 AND q.required_reviews > 1 AND NOT q.is_open
    AND NOT EXISTS (SELECT 1 FROM decision a WHERE a.excerpt_id = q.excerpt_id AND a.origin IN ('adjudication', 'rereview'))
),
standing AS (
  SELECT DISTINCT ON (d.excerpt_id, d.user_id) d.id, d.excerpt_id, d.user_id, d.category_id, d.created_at
  FROM decision d JOIN cand USING (excerpt_id)
  WHERE d.kind = 'label' AND d.origin IN ('queue', 'review')
    AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id)
  ORDER BY d.excerpt_id, d.user_id, d.id DESC
),
disputed AS (
  SELECT excerpt_id FROM standing GROUP BY excerpt_id HAVING count(DISTINCT category_id) > 1
  ORDER BY excerpt_id LIMIT $2
)
SELECT s.id::text AS decision_id, s.excerpt_id::text AS excerpt_id, s.user_id, u.name AS user_name, s.category_id, s.created_at
FROM standing s JOIN disputed USING (excerpt_id) JOIN app_user u ON u.id = s.user_id
ORDER BY s.excerpt_id, s.id`;

// The suggestion shown is the ACTIVE model's prediction of the excerpt, never the one the queue item
// was ranked with: a disputed item is closed, so it is not re-scored on promotion, and its stored
// prediction may come from a version since archived. No active-model prediction → no suggestion.
const CARDS_SQL = cardsSql(`
WITH items AS (
  SELECT q.excerpt_id, coalesce(q.lease_expires_at, now()) AS lease_expires_at, q.is_audit, q.is_flagged,
         (SELECT p.id FROM prediction p JOIN workspace w ON w.id = q.workspace_id
           WHERE p.excerpt_id = q.excerpt_id AND p.model_version_id = w.active_model_version_id) AS prediction_id,
         false AS is_held, row_number() OVER (ORDER BY q.excerpt_id)::int AS ord
  FROM queue_item q WHERE q.excerpt_id = ANY ($1::bigint[])
)`);

/**
 * The adjudication queue: overlap items whose two moderators gave different labels, each with both
 * labels and who gave them, the model's suggestion and the conversation around it (the queue's card).
 */
export async function listAdjudications({ workspaceId, limit = 50 }: TListAdjudicationsOptions): Promise<TAdjudicationItem[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AppError("VALIDATION", `limit must be a whole number from 1 to ${MAX_LIMIT}, got ${limit}.`);
  }
  const pool = getPool();
  const { rows } = await pool.query<{ decision_id: string; excerpt_id: string; user_id: number; user_name: string; category_id: number; created_at: Date }>(
    PENDING_SQL,
    [workspaceId, limit],
  );
  const labelsByExcerpt = new Map<string, TOverlapLabel[]>();
  for (const r of rows) {
    const labels = labelsByExcerpt.get(r.excerpt_id) ?? [];
    labels.push({ decisionId: r.decision_id, userId: r.user_id, userName: r.user_name, categoryId: r.category_id, decidedAt: r.created_at.toISOString() });
    labelsByExcerpt.set(r.excerpt_id, labels);
  }
  if (labelsByExcerpt.size === 0) return [];
  const { rows: cards } = await pool.query<TCardRow>(CARDS_SQL, [[...labelsByExcerpt.keys()]]);
  return cards.map((c) => ({ card: toCard(c), labels: labelsByExcerpt.get(c.excerpt_id) ?? [] }));
}
