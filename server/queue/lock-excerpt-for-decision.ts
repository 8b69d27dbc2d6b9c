import type pg from "pg";
import { deriveLabel, type TDecisionFact, type TDerivedLabel } from "@/lib/labels/derive-label.ts";
import { AppError } from "@/lib/errors.ts";

/** What a decision needs to know about its excerpt, read under lock. */
export type TLockedExcerpt = {
  currentCategoryId: number | null;
  hasItem: boolean;
  isOpen: boolean;
  leasedById: number | null;
  isLeaseLive: boolean;
  isAudit: boolean;
  modelVersionId: number | null;
  suggestedCategoryId: number | null;
  suggestedConfidence: number | null;
  toxicScore: number | null;
  /** the categoryId passed in is an active category of this workspace */
  isCategoryActive: boolean;
};

// Locks the queue row (if any) and then the excerpt row, always in that order (claim locks only queue
// rows), so every writer of an excerpt's decisions and label is serialised and cannot deadlock with
// another. The suggestion snapshot comes from the prediction the item was queued with, else from the
// workspace's active model.
const LOCK_SQL = `
WITH q AS (
  SELECT excerpt_id, is_open, leased_by_id, lease_expires_at > now() AS is_lease_live, is_audit, prediction_id
  FROM queue_item WHERE excerpt_id = $1 AND workspace_id = $2
  FOR UPDATE
)
SELECT e.current_category_id, q.excerpt_id IS NOT NULL AS has_item, coalesce(q.is_open, false) AS is_open,
       q.leased_by_id, coalesce(q.is_lease_live, false) AS is_lease_live, coalesce(q.is_audit, false) AS is_audit,
       p.model_version_id, p.suggested_category_id, p.confidence, p.toxic_score,
       EXISTS (SELECT 1 FROM category c WHERE c.id = $3 AND c.workspace_id = $2 AND c.is_active) AS is_category_active
FROM excerpt e
LEFT JOIN q ON true
LEFT JOIN prediction p ON p.id = coalesce(q.prediction_id, (
  SELECT ap.id FROM prediction ap JOIN workspace w ON w.id = $2
  WHERE ap.excerpt_id = $1 AND ap.model_version_id = w.active_model_version_id))
WHERE e.id = $1 AND e.workspace_id = $2
FOR UPDATE OF e`;

export async function lockExcerptForDecision(
  client: pg.PoolClient,
  { workspaceId, excerptId, categoryId }: { workspaceId: number; excerptId: string; categoryId?: number | null },
): Promise<TLockedExcerpt> {
  const { rows } = await client.query(LOCK_SQL, [excerptId, workspaceId, categoryId ?? null]);
  const r = rows[0];
  if (!r) throw new AppError("NOT_FOUND", `Excerpt ${excerptId} does not exist in this workspace.`);
  return {
    currentCategoryId: r.current_category_id,
    hasItem: r.has_item,
    isOpen: r.is_open,
    leasedById: r.leased_by_id,
    isLeaseLive: r.is_lease_live,
    isAudit: r.is_audit,
    modelVersionId: r.model_version_id,
    suggestedCategoryId: r.suggested_category_id,
    suggestedConfidence: r.confidence,
    toxicScore: r.toxic_score,
    isCategoryActive: r.is_category_active,
  };
}

export const DECISION_FACT_COLUMNS = `id::text AS id, kind::text AS kind, category_id, reverses_id::text AS reverses_id, user_id, created_at`;

export type TDecisionFactRow = {
  id: string;
  kind: TDecisionFact["kind"];
  category_id: number | null;
  reverses_id: string | null;
  user_id: number;
  created_at: Date;
};

/**
 * Re-derives the excerpt's label from all its decisions (lib/labels, the one rule) and stores it in
 * excerpt.current_category_id when it changed. Must run after the excerpt row is locked.
 */
export async function storeDerivedLabel(
  client: pg.PoolClient,
  { excerptId, rows, currentCategoryId }: { excerptId: string; rows: TDecisionFactRow[]; currentCategoryId: number | null },
): Promise<TDerivedLabel> {
  const derived = deriveLabel(
    rows.map((r) => ({ id: r.id, kind: r.kind, categoryId: r.category_id, reversesId: r.reverses_id, userId: r.user_id, createdAt: r.created_at })),
  );
  if (derived.categoryId !== currentCategoryId) {
    await client.query(`UPDATE excerpt SET current_category_id = $2 WHERE id = $1`, [excerptId, derived.categoryId]);
  }
  return derived;
}

export function parseExcerptId(excerptId: string): string {
  if (!/^[1-9][0-9]{0,18}$/.test(excerptId)) throw new AppError("VALIDATION", `excerptId must be a positive integer id, got "${excerptId}".`);
  return excerptId;
}
