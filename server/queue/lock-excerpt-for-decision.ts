import type pg from "pg";
import { deriveLabel, type TDecisionFact, type TDerivedLabel } from "@/lib/labels/derive-label.ts";
import { AppError } from "@/lib/errors.ts";
import { sqlInt } from "./in-transaction.ts";

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
  /** every decision on the excerpt, read after the lock was granted */
  decisions: TDecisionFact[];
};

// Locks the queue row (if any) and then the excerpt row, always in that order (claim locks only queue
// rows), so every writer of an excerpt's decisions and label is serialised and cannot deadlock with
// another. The suggestion snapshot comes from the prediction the item was queued with, else from the
// workspace's active model.
const lockSql = (excerptId: string, workspaceId: number, categoryId: number | null) => `
WITH q AS (
  SELECT excerpt_id, is_open, leased_by_id, lease_expires_at > now() AS is_lease_live, is_audit, prediction_id
  FROM queue_item WHERE excerpt_id = ${sqlInt(excerptId)} AND workspace_id = ${sqlInt(workspaceId)}
  FOR UPDATE
)
SELECT e.current_category_id, q.excerpt_id IS NOT NULL AS has_item, coalesce(q.is_open, false) AS is_open,
       q.leased_by_id, coalesce(q.is_lease_live, false) AS is_lease_live, coalesce(q.is_audit, false) AS is_audit,
       p.model_version_id, p.suggested_category_id, p.confidence, p.toxic_score,
       EXISTS (SELECT 1 FROM category c WHERE c.id = ${sqlInt(categoryId)} AND c.workspace_id = e.workspace_id AND c.is_active) AS is_category_active
FROM excerpt e
LEFT JOIN q ON true
LEFT JOIN prediction p ON p.id = coalesce(q.prediction_id, (
  SELECT ap.id FROM prediction ap JOIN workspace w ON w.id = e.workspace_id
  WHERE ap.excerpt_id = e.id AND ap.model_version_id = w.active_model_version_id))
WHERE e.id = ${sqlInt(excerptId)} AND e.workspace_id = ${sqlInt(workspaceId)}
FOR UPDATE OF e`;

// A statement of its own, after the locking one: in READ COMMITTED each statement takes a new snapshot,
// so this one sees every decision committed before our lock was granted (the locking statement's
// snapshot predates any wait for the lock).
const decisionsSql = (excerptId: string) =>
  `SELECT id::text AS id, kind::text AS kind, category_id, reverses_id::text AS reverses_id, user_id, created_at
   FROM decision WHERE excerpt_id = ${sqlInt(excerptId)}`;

type TDecisionFactRow = {
  id: string;
  kind: TDecisionFact["kind"];
  category_id: number | null;
  reverses_id: string | null;
  user_id: number;
  created_at: Date;
};

/**
 * Locks the excerpt (and its queue row) and reads what a decision needs, including the excerpt's
 * decisions, in one round trip (a multi-statement simple query, integers only). With `isBeginning`,
 * the transaction's BEGIN travels in the same round trip.
 */
export async function lockExcerptForDecision(
  client: pg.PoolClient,
  { workspaceId, excerptId, categoryId, isBeginning = false }: { workspaceId: number; excerptId: string; categoryId?: number | null; isBeginning?: boolean },
): Promise<TLockedExcerpt> {
  const statements = [lockSql(excerptId, workspaceId, categoryId ?? null), decisionsSql(excerptId)];
  if (isBeginning) statements.unshift("BEGIN");
  const results = (await client.query(statements.join(";\n"))) as unknown as pg.QueryResult[];
  const [lock, facts] = results.slice(-2);
  const r = lock.rows[0];
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
    decisions: (facts.rows as TDecisionFactRow[]).map((f) => ({
      id: f.id, kind: f.kind, categoryId: f.category_id, reversesId: f.reverses_id, userId: f.user_id, createdAt: f.created_at,
    })),
  };
}

/** Larger than any BIGINT id: stands for the decision about to be inserted, which is the newest. */
export const PENDING_DECISION_ID = 2n ** 63n;

/**
 * The excerpt's label once `pending` is added (lib/labels is the one rule; it is never re-implemented in
 * SQL), and the statement that stores it in excerpt.current_category_id when it changed (else "").
 */
export function derivedLabelUpdate(
  locked: Pick<TLockedExcerpt, "decisions" | "currentCategoryId">,
  excerptId: string,
  pending: Omit<TDecisionFact, "id" | "createdAt">,
): { derived: TDerivedLabel; sql: string } {
  const derived = deriveLabel([...locked.decisions, { ...pending, id: PENDING_DECISION_ID, createdAt: new Date() }]);
  const sql = derived.categoryId === locked.currentCategoryId
    ? ""
    : `UPDATE excerpt SET current_category_id = ${sqlInt(derived.categoryId)} WHERE id = ${sqlInt(excerptId)}`;
  return { derived, sql };
}

export function parseExcerptId(excerptId: string): string {
  if (typeof excerptId !== "string" || !/^[1-9][0-9]{0,18}$/.test(excerptId)) {
    throw new AppError("VALIDATION", `excerptId must be a positive integer id, got "${excerptId}".`);
  }
  return excerptId;
}
