import { AppError } from "@/lib/errors.ts";
import { REREVIEW_ORIGIN } from "@/lib/labels/derive-label.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";
import { inTransaction } from "../db/transaction.ts";
import { sqlInt } from "../db/sql-int.ts";
import { insertSeniorLabel } from "../adjudication/insert-senior-label.ts";
import { lockExcerptForDecision } from "../queue/lock-excerpt-for-decision.ts";

export type TSubmitRereviewOptions = { workspaceId: number; userId: number; suspectId: string; categoryId: number; note?: string };

export type TSubmitRereviewResult = TDecisionResult & {
  /** the senior chose another category than the flagged label */
  isCorrected: boolean;
  /** the excerpt's label now */
  categoryId: number | null;
};

/**
 * A senior moderator's verdict on a suspected label error: an ordinary label decision with origin
 * 'rereview', which lib/labels ranks like an adjudication (a senior's final word: later ordinary labels
 * do not undo it, the exports' majority vote does not tie it), so the label rule, the next training run
 * and the next snapshot all pick it up. Keeping the label is a verdict too (stored the same way, and the
 * label is then a senior's: detection never flags it again). The suspect is settled in the same
 * transaction, under its row lock, so two seniors cannot both settle it (the second gets CONFLICT).
 * Lock order: the suspect, then the excerpt's queue row and the excerpt (as every decision writer).
 * Who may settle suspects is the caller's check (isAdjudicator, withRoute's `senior`).
 */
export async function submitRereview(options: TSubmitRereviewOptions): Promise<TSubmitRereviewResult> {
  const { workspaceId, userId, categoryId, note } = options;
  if (typeof options.suspectId !== "string" || !/^[1-9][0-9]{0,18}$/.test(options.suspectId)) {
    throw new AppError("VALIDATION", `suspectId must be a positive integer id, got "${options.suspectId}".`);
  }
  if (!Number.isInteger(categoryId) || categoryId <= 0) throw new AppError("VALIDATION", "Pick a category for the label.");
  if (note !== undefined && (typeof note !== "string" || note.length > 2000)) throw new AppError("VALIDATION", "Keep the note under 2000 characters.");

  return inTransaction(async (client) => {
    const { rows: found } = await client.query<{ excerpt_id: string; status: string; category_id: number; is_held_by_other: boolean }>(
      `SELECT excerpt_id::text AS excerpt_id, status, category_id,
              coalesce(leased_by_id <> ${sqlInt(userId)} AND lease_expires_at > now(), false) AS is_held_by_other
         FROM label_suspect WHERE id = ${sqlInt(options.suspectId)} AND workspace_id = ${sqlInt(workspaceId)} FOR UPDATE`,
    );
    const suspect = found[0];
    if (!suspect) throw new AppError("NOT_FOUND", `Suspect ${options.suspectId} is not in this workspace's re-review queue; reload the queue.`);
    if (suspect.status === "resolved") throw new AppError("CONFLICT", `Suspect ${options.suspectId} was re-reviewed already; reload the queue.`);
    if (suspect.is_held_by_other)
      throw new AppError("CONFLICT", `Another senior moderator is re-reviewing suspect ${options.suspectId} right now; take the next one.`);

    const excerptId = suspect.excerpt_id;
    const locked = await lockExcerptForDecision(client, { workspaceId, excerptId });
    const { decisionId, derived } = await insertSeniorLabel(client, { workspaceId, userId, excerptId, categoryId, note, origin: REREVIEW_ORIGIN, locked });
    const isCorrected = categoryId !== suspect.category_id;
    await client.query(
      `UPDATE label_suspect SET status = 'resolved', resolved_by_id = $2, resolved_at = now(), decision_id = $3, is_corrected = $4,
                                leased_by_id = NULL, lease_expires_at = NULL
        WHERE id = $1`,
      [options.suspectId, userId, decisionId, isCorrected],
    );
    return { decisionId, excerptId, isLateConflict: false, isCorrected, categoryId: derived.categoryId };
  });
}
