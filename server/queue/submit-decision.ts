import { AppError } from "@/lib/errors.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";
import { inTransaction } from "./in-transaction.ts";
import {
  DECISION_FACT_COLUMNS,
  lockExcerptForDecision,
  parseExcerptId,
  storeDerivedLabel,
  type TDecisionFactRow,
} from "./lock-excerpt-for-decision.ts";

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

/**
 * Stores one moderator decision, append-only, in one transaction. A decision that arrives after its
 * lease expired or moved to someone else is still stored (nothing a moderator did is ever lost) and
 * flagged is_late_conflict; it then leaves the queue row alone if another moderator holds it now, so
 * their lease is not broken. A label closes the queue item and re-derives the excerpt's label; a
 * skip releases the lease and keeps the item away from this moderator.
 */
export async function submitDecision(options: TSubmitDecisionOptions): Promise<TDecisionResult> {
  const { workspaceId, userId, kind, categoryId, durationMs, note } = options;
  const origin = options.origin ?? "queue";
  const excerptId = parseExcerptId(options.excerptId);
  if (kind !== "label" && kind !== "skip") throw new AppError("VALIDATION", `kind must be "label" or "skip", got "${kind}".`);
  if (origin !== "queue" && origin !== "review") throw new AppError("VALIDATION", `origin must be "queue" or "review", got "${origin}".`);
  if (kind === "skip" && origin !== "queue") throw new AppError("VALIDATION", "Only queue items can be skipped; open the queue to skip.");
  if (kind === "label" && !Number.isInteger(categoryId)) throw new AppError("VALIDATION", "Pick a category for a label decision.");
  if (durationMs !== undefined && (!Number.isInteger(durationMs) || durationMs < 0 || durationMs > MAX_DURATION_MS)) {
    throw new AppError("VALIDATION", `durationMs must be a whole number of milliseconds from 0 to ${MAX_DURATION_MS}.`);
  }
  if (note !== undefined && note.length > MAX_NOTE_LENGTH) throw new AppError("VALIDATION", `Keep the note under ${MAX_NOTE_LENGTH} characters.`);

  return inTransaction(async (client) => {
    const locked = await lockExcerptForDecision(client, { workspaceId, excerptId, categoryId });
    if (kind === "label" && !locked.isCategoryActive) {
      throw new AppError("VALIDATION", `Category ${categoryId} is not an active category of this workspace; reload the category list.`);
    }

    const isLeaseMine = locked.hasItem && locked.isOpen && locked.leasedById === userId && locked.isLeaseLive;
    const isHeldByOther = locked.hasItem && locked.isOpen && locked.isLeaseLive && locked.leasedById !== null && locked.leasedById !== userId;
    const isLateConflict = origin === "queue" && !isLeaseMine;
    const canTouchItem = locked.hasItem && locked.isOpen && !isHeldByOther;

    // The queue row change rides in the same statement as the insert; a skip is remembered even when
    // someone else holds the item now, so it is never served back to this moderator.
    let queueUpdate = "";
    if (kind === "label" && canTouchItem) {
      queueUpdate = `, upd AS (UPDATE queue_item SET is_open = false, leased_by_id = NULL, lease_expires_at = NULL, updated_at = now()
                               WHERE excerpt_id = $2 RETURNING 1)`;
    } else if (kind === "skip" && locked.hasItem) {
      const release = canTouchItem ? "leased_by_id = NULL, lease_expires_at = NULL," : "";
      queueUpdate = `, upd AS (UPDATE queue_item SET ${release}
                                 skipped_by = CASE WHEN $3 = ANY (coalesce(skipped_by, '{}')) THEN skipped_by
                                                   ELSE array_append(coalesce(skipped_by, '{}'), $3::int) END,
                                 updated_at = now()
                               WHERE excerpt_id = $2 RETURNING 1)`;
    }

    const { rows } = await client.query<TDecisionFactRow & { is_new: boolean }>(
      `WITH ins AS (
         INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, model_version_id,
                               suggested_category_id, suggested_confidence, toxic_score, is_audit, is_late_conflict, duration_ms, note)
         VALUES ($1, $2, $3, $4::"DecisionKind", $5::"DecisionOrigin", $6, $7, $8, $9, $10, $11, $12, $13, $14)
         RETURNING ${DECISION_FACT_COLUMNS}
       )${queueUpdate}
       SELECT *, true AS is_new FROM ins
       UNION ALL
       SELECT ${DECISION_FACT_COLUMNS}, false AS is_new FROM decision WHERE excerpt_id = $2`,
      [
        workspaceId,
        excerptId,
        userId,
        kind,
        origin,
        kind === "label" ? categoryId : null,
        locked.modelVersionId,
        locked.suggestedCategoryId,
        locked.suggestedConfidence,
        locked.toxicScore,
        locked.isAudit,
        isLateConflict,
        durationMs ?? null,
        note ?? null,
      ],
    );
    const decisionId = rows.find((r) => r.is_new)!.id;
    if (kind === "label") await storeDerivedLabel(client, { excerptId, rows, currentCategoryId: locked.currentCategoryId });
    return { decisionId, excerptId, isLateConflict };
  });
}
