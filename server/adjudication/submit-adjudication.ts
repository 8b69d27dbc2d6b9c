import { needsAdjudication } from "@/lib/adjudication/overlap.ts";
import { ADJUDICATION_ORIGIN } from "@/lib/labels/derive-label.ts";
import { AppError } from "@/lib/errors.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";
import { inTransaction } from "../db/transaction.ts";
import { sqlInt } from "../db/sql-int.ts";
import { derivedLabelUpdate, lockExcerptForDecision, parseExcerptId } from "../queue/lock-excerpt-for-decision.ts";

export type TSubmitAdjudicationOptions = { workspaceId: number; userId: number; excerptId: string; categoryId: number; note?: string };

/**
 * A senior moderator's final label on a disputed overlap item: stored as a label decision with origin
 * 'adjudication', which lib/labels ranks above every ordinary label, and the export above everything.
 * Checked under the excerpt's lock that the item is still disputed, so two seniors adjudicating the
 * same item at once cannot both succeed (the second gets CONFLICT). Who may adjudicate is the caller's
 * check (isAdjudicator, withRoute's `senior`).
 */
export async function submitAdjudication(options: TSubmitAdjudicationOptions): Promise<TDecisionResult> {
  const { workspaceId, userId, categoryId, note } = options;
  const excerptId = parseExcerptId(options.excerptId);
  if (!Number.isInteger(categoryId) || categoryId <= 0) throw new AppError("VALIDATION", "Pick a category for the final label.");
  if (note !== undefined && note.length > 2000) throw new AppError("VALIDATION", "Keep the note under 2000 characters.");

  return inTransaction(async (client) => {
    const locked = await lockExcerptForDecision(client, { workspaceId, excerptId });
    if (!needsAdjudication(locked.decisions)) {
      throw new AppError(
        "CONFLICT",
        `Excerpt ${excerptId} is not awaiting adjudication (its moderators agree, or it was adjudicated already); reload the list.`,
      );
    }
    const { rows: valid } = await client.query(
      `SELECT 1 FROM category WHERE id = ${sqlInt(categoryId)} AND workspace_id = ${sqlInt(workspaceId)} AND is_active`,
    );
    if (valid.length === 0) throw new AppError("VALIDATION", `Category ${categoryId} is not an active category of this workspace; reload the category list.`);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, model_version_id, suggested_category_id,
                             suggested_confidence, toxic_score, is_audit, note)
       VALUES ($1, $2, $3, 'label', 'adjudication', $4, $5, $6, $7, $8, $9, $10) RETURNING id::text`,
      [
        workspaceId,
        excerptId,
        userId,
        categoryId,
        locked.modelVersionId,
        locked.suggestedCategoryId,
        locked.suggestedConfidence,
        locked.toxicScore,
        locked.isAudit,
        note ?? null,
      ],
    );
    const { sql } = derivedLabelUpdate(locked, excerptId, { kind: "label", categoryId, reversesId: null, userId, origin: ADJUDICATION_ORIGIN });
    if (sql) await client.query(sql);
    return { decisionId: rows[0].id, excerptId, isLateConflict: false };
  });
}
