import type pg from "pg";
import { deriveLabel, type TDecisionFact, type TDerivedLabel } from "@/lib/labels/derive-label.ts";
import { AppError } from "@/lib/errors.ts";
import { sqlInt } from "../db/sql-int.ts";

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
  /** every decision on the excerpt, read after the lock was granted */
  decisions: TDecisionFact[];
};

// The two pieces every decision writer shares (here and submit-decision.ts's one-statement path), given
// the SQL for the excerpt id and the workspace id (literals or parameters):
//  - the CTE body that locks the excerpt's queue row, if any. Every writer locks it before the excerpt
//    row (claim locks only queue rows), so the writers of one excerpt serialise and never deadlock;
//  - the join to the prediction a decision snapshots its suggestion from: the one the item was queued
//    with, else the active model's (it expects the locked queue row as q).
export const lockQueueRowSql = (excerptId: string, workspaceId: string) => `
  SELECT excerpt_id, is_open, leased_by_id, lease_expires_at > now() AS is_lease_live, is_audit, prediction_id
  FROM queue_item WHERE excerpt_id = ${excerptId} AND workspace_id = ${workspaceId}
  FOR UPDATE`;
export const suggestionJoinSql = (excerptId: string, workspaceId: string) => `
  LEFT JOIN prediction p ON p.id = coalesce(q.prediction_id, (
    SELECT ap.id FROM prediction ap JOIN workspace w ON w.id = ${workspaceId}
    WHERE ap.excerpt_id = ${excerptId} AND ap.model_version_id = w.active_model_version_id))`;

// The queue row, then the excerpt row, as every writer (see lockQueueRowSql).
const lockSql = (excerptId: string, workspaceId: number) => `
WITH q AS (${lockQueueRowSql(sqlInt(excerptId), sqlInt(workspaceId))})
SELECT e.current_category_id, q.excerpt_id IS NOT NULL AS has_item, coalesce(q.is_open, false) AS is_open,
       q.leased_by_id, coalesce(q.is_lease_live, false) AS is_lease_live, coalesce(q.is_audit, false) AS is_audit,
       p.model_version_id, p.suggested_category_id, p.confidence, p.toxic_score
FROM excerpt e
LEFT JOIN q ON true
${suggestionJoinSql(sqlInt(excerptId), sqlInt(workspaceId))}
WHERE e.id = ${sqlInt(excerptId)} AND e.workspace_id = ${sqlInt(workspaceId)}
FOR UPDATE OF e`;

// A statement of its own, after the locking one: in READ COMMITTED each statement takes a new snapshot,
// so this one sees every decision committed before our lock was granted (the locking statement's
// snapshot predates any wait for the lock).
const decisionsSql = (excerptId: string) =>
  `SELECT id::text AS id, kind::text AS kind, category_id, reverses_id::text AS reverses_id, user_id, created_at, origin::text AS origin
   FROM decision WHERE excerpt_id = ${sqlInt(excerptId)}`;

type TDecisionFactRow = {
  id: string;
  kind: TDecisionFact["kind"];
  category_id: number | null;
  reverses_id: string | null;
  user_id: number;
  created_at: Date;
  origin: string;
};

/**
 * Inside a transaction: locks the excerpt (and its queue row) and reads its state and all its
 * decisions, in one round trip (a two-statement simple query, integers only).
 */
export async function lockExcerptForDecision(
  client: pg.PoolClient,
  { workspaceId, excerptId }: { workspaceId: number; excerptId: string },
): Promise<TLockedExcerpt> {
  const results = (await client.query(`${lockSql(excerptId, workspaceId)};\n${decisionsSql(excerptId)}`)) as unknown as pg.QueryResult[];
  const [lock, facts] = results;
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
    decisions: (facts.rows as TDecisionFactRow[]).map((f) => ({
      id: f.id,
      kind: f.kind,
      categoryId: f.category_id,
      reversesId: f.reverses_id,
      userId: f.user_id,
      createdAt: f.created_at,
      origin: f.origin,
    })),
  };
}

/** Larger than any BIGINT id: stands for the decision about to be inserted, which is the newest. */
export const PENDING_DECISION_ID = 2n ** 63n;

/**
 * The excerpt's label once `pending` is added (lib/labels is the one rule; it is never re-implemented in
 * SQL), and the statement that stores it in excerpt.current_category_id. Written even when unchanged: a
 * new row version is how the queue's one-statement decision (submit-decision.ts, is_raced) learns that
 * a decision it cannot see yet (an adjudication, an undo) was committed while it waited for the lock.
 */
export function derivedLabelUpdate(
  locked: Pick<TLockedExcerpt, "decisions" | "currentCategoryId">,
  excerptId: string,
  pending: Omit<TDecisionFact, "id" | "createdAt">,
): { derived: TDerivedLabel; sql: string } {
  const derived = deriveLabel([...locked.decisions, { ...pending, id: PENDING_DECISION_ID, createdAt: new Date() }]);
  const sql = `UPDATE excerpt SET current_category_id = ${sqlInt(derived.categoryId)} WHERE id = ${sqlInt(excerptId)}`;
  return { derived, sql };
}

export function parseExcerptId(excerptId: string): string {
  if (typeof excerptId !== "string" || !/^[1-9][0-9]{0,18}$/.test(excerptId)) {
    throw new AppError("VALIDATION", `excerptId must be a positive integer id, got "${excerptId}".`);
  }
  return excerptId;
}
