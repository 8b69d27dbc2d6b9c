import { needsAdjudication } from "@/lib/adjudication/overlap.ts";
import { ADJUDICATION_ORIGIN } from "@/lib/labels/derive-label.ts";
import { AppError } from "@/lib/errors.ts";
import type { TDecisionResult } from "@/lib/queue/types.ts";
import { inTransaction } from "../db/transaction.ts";
import { lockExcerptForDecision, parseExcerptId } from "../queue/lock-excerpt-for-decision.ts";
import { insertSeniorLabel } from "./insert-senior-label.ts";

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
    const { decisionId } = await insertSeniorLabel(client, { workspaceId, userId, excerptId, categoryId, note, origin: ADJUDICATION_ORIGIN, locked });
    return { decisionId, excerptId, isLateConflict: false };
  });
}
