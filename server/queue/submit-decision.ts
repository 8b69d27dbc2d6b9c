import { AppError } from "@/lib/errors.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";
import { inSelfManagedTransaction, sqlInt } from "./in-transaction.ts";
import { derivedLabelUpdate, lockExcerptForDecision, parseExcerptId } from "./lock-excerpt-for-decision.ts";

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

/**
 * Stores one moderator decision, append-only, in one transaction. A decision that arrives after its
 * lease expired or moved to someone else is still stored (nothing a moderator did is ever lost) and
 * flagged is_late_conflict; it then leaves the queue row alone if another moderator holds it now, so
 * their lease is not broken. A label closes the queue item and re-derives the excerpt's label
 * (lib/labels); a skip releases the lease and keeps the item away from this moderator.
 *
 * Two round trips, because on a busy two-core machine each round trip costs a wake-up of both
 * processes: (1) BEGIN, lock, read the decisions; (2) insert, queue update, label update, COMMIT.
 * Both are multi-statement simple queries, which carry no parameters: every value in them is an
 * integer checked by sqlInt, a boolean, a finite float, or the note escaped by the driver.
 */
export async function submitDecision(options: TSubmitDecisionOptions): Promise<TDecisionResult> {
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

  return inSelfManagedTransaction(async (client) => {
    const locked = await lockExcerptForDecision(client, { workspaceId, excerptId, categoryId: labelCategoryId, isBeginning: true });
    if (kind === "label" && !locked.isCategoryActive) {
      throw new AppError("VALIDATION", `Category ${categoryId} is not an active category of this workspace; reload the category list.`);
    }

    const isLeaseMine = locked.hasItem && locked.isOpen && locked.leasedById === userId && locked.isLeaseLive;
    const isHeldByOther = locked.hasItem && locked.isOpen && locked.isLeaseLive && locked.leasedById !== null && locked.leasedById !== userId;
    const isLateConflict = origin === "queue" && !isLeaseMine;
    const canTouchItem = locked.hasItem && locked.isOpen && !isHeldByOther;

    const statements = [
      `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, model_version_id, suggested_category_id,
                             suggested_confidence, toxic_score, is_audit, is_late_conflict, duration_ms, note)
       VALUES (${sqlInt(workspaceId)}, ${sqlInt(excerptId)}, ${sqlInt(userId)}, '${kind}', '${origin}', ${sqlInt(labelCategoryId)},
               ${sqlInt(locked.modelVersionId)}, ${sqlInt(locked.suggestedCategoryId)}, ${sqlFloat(locked.suggestedConfidence)},
               ${sqlFloat(locked.toxicScore)}, ${locked.isAudit}, ${isLateConflict}, ${sqlInt(durationMs)},
               ${note === undefined ? "NULL" : client.escapeLiteral(note)})
       RETURNING id::text AS id`,
    ];
    if (kind === "label" && canTouchItem) {
      statements.push(`UPDATE queue_item SET is_open = false, leased_by_id = NULL, lease_expires_at = NULL, updated_at = now()
                       WHERE excerpt_id = ${sqlInt(excerptId)}`);
    } else if (kind === "skip" && locked.hasItem) {
      // remembered even when someone else holds the item now, so it is never served back to this moderator
      const release = canTouchItem ? "leased_by_id = NULL, lease_expires_at = NULL," : "";
      statements.push(`UPDATE queue_item SET ${release}
                         skipped_by = CASE WHEN ${sqlInt(userId)} = ANY (coalesce(skipped_by, '{}')) THEN skipped_by
                                           ELSE array_append(coalesce(skipped_by, '{}'), ${sqlInt(userId)}) END,
                         updated_at = now()
                       WHERE excerpt_id = ${sqlInt(excerptId)}`);
    }
    if (kind === "label") {
      // skips never change the label, so only a label needs the derivation
      const { sql } = derivedLabelUpdate(locked, excerptId, { kind, categoryId: labelCategoryId, reversesId: null, userId });
      if (sql) statements.push(sql);
    }
    statements.push("COMMIT");

    const results = (await client.query(statements.join(";\n"))) as unknown as { rows: { id: string }[] }[];
    return { decisionId: results[0].rows[0].id, excerptId, isLateConflict };
  });
}

function isInt4(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0 && (value as number) <= MAX_INT4;
}

function sqlFloat(value: number | null): string {
  if (value === null) return "NULL";
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return `${value}::real`;
}
