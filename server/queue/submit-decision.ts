import { deriveLabel } from "@/lib/labels/derive-label.ts";
import { AppError } from "@/lib/errors.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";
import { queryRunner } from "../db/transaction.ts";
import { isKeyAlreadyStored, type TInlineKey } from "../idempotency/run-idempotent.ts";
import { lockQueueRowSql, parseExcerptId, PENDING_DECISION_ID, suggestionJoinSql } from "./lock-excerpt-for-decision.ts";
import { rederiveLabel } from "./rederive-label.ts";

export type TSubmitDecisionOptions = {
  workspaceId: number;
  userId: number;
  excerptId: string;
  kind: "label" | "skip";
  categoryId?: number;
  durationMs?: number;
  note?: string;
  origin?: "queue" | "review";
};

const MAX_NOTE_LENGTH = 2000;
const MAX_DURATION_MS = 24 * 3600 * 1000;
const MAX_INT4 = 2 ** 31 - 1;

// One statement, so one round trip and one implicit transaction (on a busy two-core machine every round
// trip costs a wake-up of both processes, which is what the p95 is made of).
//  - q locks the queue row, then e the excerpt: the same order as every other writer (e waits on q
//    through the one-time filter), so two decisions on one excerpt serialise and never deadlock. Rows
//    locked after a wait are re-read at their newest version, so the lease check sees the truth.
//  - The suggestion is snapshotted from the prediction the item was queued with, else the active model's.
//  - is_valid: a label needs an active category of this workspace; if not, nothing below writes.
//  - The late-conflict flag: the lease is not this user's, or has expired. The decision is stored anyway.
//  - can_touch_item: open and not held by someone else right now; a decision never breaks another
//    moderator's live lease. A label closes the item; a skip releases it and remembers the skipper
//    (even when someone else holds it, so it is never served back to this moderator).
//  - An overlap item (required_reviews 2) stays open after its first label, remembering the labeller in
//    labelled_by so the claim never serves it back to them; the second distinct moderator's label closes it.
//  - The excerpt's label is the value derived in TypeScript ($9), written only when it changes. An
//    adjudicated excerpt is the exception (its adjudication outranks a newer label): it is re-derived
//    from all its decisions after the statement (rare, so the hot path stays one round trip). So is an
//    excerpt another writer changed after this statement's snapshot (is_raced): an adjudication committed
//    meanwhile is invisible here (adjudication and re-review always rewrite the excerpt row for this).
const DECIDE_CTES = `
WITH q AS (${lockQueueRowSql("$1::bigint", "$2::int")}),
e AS (
  SELECT id, current_category_id, xmin::text AS row_version FROM excerpt
  WHERE id = $1::bigint AND workspace_id = $2::int AND (SELECT count(*) FROM q) >= 0
  FOR UPDATE
),
state AS (
  SELECT q.excerpt_id IS NOT NULL AS has_item,
         coalesce(q.is_open AND q.leased_by_id = $3::int AND q.is_lease_live, false) AS is_lease_mine,
         coalesce(q.is_open AND NOT (q.is_lease_live AND q.leased_by_id IS NOT NULL AND q.leased_by_id <> $3::int), false) AS can_touch_item,
         coalesce(q.is_audit, false) AS is_audit,
         p.model_version_id, p.suggested_category_id, p.confidence, p.toxic_score,
         ($4::text = 'skip' OR EXISTS (SELECT 1 FROM category c WHERE c.id = $6::int AND c.workspace_id = $2::int AND c.is_active)) AS is_valid,
         -- the excerpt changed between this statement's snapshot and its lock (a plain read sees the snapshot's
         -- version, e the newest): a decision committed meanwhile is invisible to "adjudicated" below
         (SELECT x.xmin::text FROM excerpt x WHERE x.id = $1::bigint) IS DISTINCT FROM e.row_version AS is_raced
  FROM e
  LEFT JOIN q ON true
  ${suggestionJoinSql("$1::bigint", "$2::int")}
),
ins AS (
  INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, model_version_id, suggested_category_id,
                        suggested_confidence, toxic_score, is_audit, is_late_conflict, duration_ms, note)
  SELECT $2::int, $1::bigint, $3::int, $4::text::"DecisionKind", $5::text::"DecisionOrigin", $6::int, s.model_version_id,
         s.suggested_category_id, s.confidence, s.toxic_score, s.is_audit, ($5::text = 'queue' AND NOT s.is_lease_mine), $7::int, $8::text
  FROM state s WHERE s.is_valid
  RETURNING id, is_late_conflict
),
upd_item AS (
  UPDATE queue_item qi
  SET is_open = CASE WHEN $4::text = 'label'
                     THEN cardinality(array_remove(coalesce(qi.labelled_by, '{}'), $3::int)) + 1 < qi.required_reviews
                     ELSE qi.is_open END,
      labelled_by = CASE WHEN $4::text = 'label' AND NOT ($3::int = ANY (coalesce(qi.labelled_by, '{}')))
                         THEN array_append(coalesce(qi.labelled_by, '{}'), $3::int) ELSE qi.labelled_by END,
      leased_by_id = CASE WHEN s.can_touch_item THEN NULL ELSE qi.leased_by_id END,
      lease_expires_at = CASE WHEN s.can_touch_item THEN NULL ELSE qi.lease_expires_at END,
      skipped_by = CASE WHEN $4::text = 'skip' AND NOT ($3::int = ANY (coalesce(qi.skipped_by, '{}')))
                        THEN array_append(coalesce(qi.skipped_by, '{}'), $3::int) ELSE qi.skipped_by END,
      updated_at = now()
  FROM state s
  WHERE qi.excerpt_id = $1::bigint AND s.is_valid AND s.has_item AND (s.can_touch_item OR $4::text = 'skip')
),
-- The lease this decision released leaves the lease log's live part too: a claim re-serves the items the
-- log says this user may still hold, probing queue_item for each, so a log that kept every decided item
-- live until its lease ran out made each claim re-check the last lease_seconds' worth of decisions (at the
-- 10M bench's pace ~550 per moderator; one claim's plan showed 206 such probes, 622 of its buffer hits).
ended_claim AS (
  UPDATE queue_claim c SET lease_expires_at = now()
  FROM state s
  WHERE c.user_id = $3::int AND c.lease_expires_at > now() AND c.excerpt_id = $1::bigint AND c.workspace_id = $2::int
    AND s.is_valid AND s.can_touch_item
),
adjudicated AS (
  SELECT EXISTS (SELECT 1 FROM decision d WHERE d.excerpt_id = $1::bigint AND d.origin IN ('adjudication', 'rereview')) AS v
),
upd_label AS (
  -- compared with e's value (the newest, locked), never x's: x is read at the snapshot, and a row whose
  -- snapshot value fails the filter is not re-checked after a concurrent update, so an overlapping
  -- moderator's label could be left standing over this newer one
  UPDATE excerpt x SET current_category_id = $9::int
  FROM state s
  WHERE x.id = $1::bigint AND $4::text = 'label' AND s.is_valid AND (SELECT current_category_id FROM e) IS DISTINCT FROM $9::int
    AND NOT (SELECT v FROM adjudicated) AND NOT s.is_raced
)`;
const DECIDE_ANSWER = `
SELECT s.is_valid, ins.id::text AS decision_id, ins.is_late_conflict, (SELECT v FROM adjudicated) OR s.is_raced AS is_adjudicated
FROM state s LEFT JOIN ins ON true`;

// With an Idempotency-Key (the queue sends one per keypress): the key row and the answer the route returns
// go in with the decision, in its one statement (server/idempotency/run-idempotent.ts, runIdempotentInline).
// No ON CONFLICT: a key stored by an earlier attempt fails the statement on the primary key and nothing
// of it is written. The answer is TDecisionResult, as the route answers it.
const KEY_ROW_CTE = `,
key_row AS (
  INSERT INTO idempotent_request (user_id, key, workspace_id, operation, request_hash, response)
  SELECT $3::int, $10::text, $2::int, $11::text, $12::text,
         jsonb_build_object('decisionId', ins.id::text, 'excerptId', $1::bigint::text, 'isLateConflict', ins.is_late_conflict)
  FROM ins
)`;
const DECIDE_SQL = DECIDE_CTES + DECIDE_ANSWER;
const DECIDE_KEYED_SQL = DECIDE_CTES + KEY_ROW_CTE + DECIDE_ANSWER;

/**
 * Stores one moderator decision, append-only, atomically. A decision that arrives after its lease
 * expired or moved to someone else is still stored (nothing a moderator did is ever lost) and flagged
 * is_late_conflict; it leaves the queue row alone if another moderator holds it now, so their lease is
 * not broken. A label closes the queue item and sets the excerpt's label by lib/labels; a skip
 * releases the lease and keeps the item away from this moderator.
 */
export async function submitDecision(options: TSubmitDecisionOptions, idempotencyKey: TInlineKey | null = null): Promise<TDecisionResult> {
  const { workspaceId, userId, kind, categoryId, durationMs, note } = options;
  const origin = options.origin ?? "queue";
  const excerptId = parseExcerptId(options.excerptId);
  if (!isInt4(workspaceId) || !isInt4(userId)) throw new AppError("VALIDATION", "workspaceId and userId must be positive integers.");
  if (kind !== "label" && kind !== "skip") throw new AppError("VALIDATION", `kind must be "label" or "skip", got "${kind}".`);
  if (origin !== "queue" && origin !== "review") throw new AppError("VALIDATION", `origin must be "queue" or "review", got "${origin}".`);
  if (kind === "skip" && origin !== "queue") throw new AppError("VALIDATION", "Only queue items can be skipped; open the queue to skip.");
  if (kind === "label" && !isInt4(categoryId)) throw new AppError("VALIDATION", "Pick a category for a label decision.");
  if (durationMs !== undefined && (!Number.isInteger(durationMs) || durationMs < 0 || durationMs > MAX_DURATION_MS)) {
    throw new AppError("VALIDATION", `durationMs must be a whole number of milliseconds from 0 to ${MAX_DURATION_MS}.`);
  }
  if (note !== undefined && (typeof note !== "string" || note.length > MAX_NOTE_LENGTH)) {
    throw new AppError("VALIDATION", `Keep the note under ${MAX_NOTE_LENGTH} characters.`);
  }
  const labelCategoryId = kind === "label" ? categoryId! : null;

  // The label after this decision, by lib/labels. A new label decision is the newest decision of its
  // excerpt and nothing older can reverse it, so under deriveLabel's rule it is the label whatever
  // came before: the excerpt's earlier decisions need not be read, which keeps this one round trip.
  // (Undo, where earlier decisions do matter, reads them all: see undo-last-decision.ts.)
  const derivedCategoryId =
    kind === "label"
      ? deriveLabel([{ id: PENDING_DECISION_ID, kind, categoryId: labelCategoryId, reversesId: null, userId, createdAt: new Date() }]).categoryId
      : null;

  const values: unknown[] = [excerptId, workspaceId, userId, kind, origin, labelCategoryId, durationMs ?? null, note ?? null, derivedCategoryId];
  if (idempotencyKey) {
    if (idempotencyKey.userId !== userId || idempotencyKey.workspaceId !== workspaceId)
      throw new Error("submitDecision: the key row belongs to another user or workspace");
    values.push(idempotencyKey.storedKey, idempotencyKey.operation, idempotencyKey.requestHash);
  }
  const { rows } = await queryRunner()
    .query<{ is_valid: boolean; decision_id: string | null; is_late_conflict: boolean | null; is_adjudicated: boolean }>({
      name: idempotencyKey ? "queue-decide-keyed" : "queue-decide",
      text: idempotencyKey ? DECIDE_KEYED_SQL : DECIDE_SQL,
      values,
    })
    .catch(async (err) => {
      // A retry of a keyed decision that committed (its key is stored; the caller replays the first answer).
      // The first attempt's follow-up below ran after its commit and may have failed (the connection
      // dropped): run it again before the replay. Re-deriving an excerpt's label is safe at any time.
      if (idempotencyKey && kind === "label" && isKeyAlreadyStored(err)) await rederiveLabel({ workspaceId, excerptId });
      throw err;
    });
  const row = rows[0];
  if (!row) throw new AppError("NOT_FOUND", `Excerpt ${excerptId} does not exist in this workspace.`);
  if (!row.is_valid || !row.decision_id) {
    throw new AppError("VALIDATION", `Category ${categoryId} is not an active category of this workspace; reload the category list.`);
  }
  if (kind === "label" && row.is_adjudicated) await rederiveLabel({ workspaceId, excerptId });
  return { decisionId: row.decision_id, excerptId, isLateConflict: row.is_late_conflict === true };
}

function isInt4(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0 && (value as number) <= MAX_INT4;
}
