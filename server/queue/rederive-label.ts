import { deriveLabel } from "@/lib/labels/derive-label.ts";
import { inTransaction } from "../db/transaction.ts";
import { sqlInt } from "../db/sql-int.ts";
import { lockExcerptForDecision } from "./lock-excerpt-for-decision.ts";

/**
 * Re-derives one excerpt's label from all its decisions, under the excerpt's lock, and stores it when it
 * changed. For the paths whose one-statement shortcut ("the newest label wins") does not hold: an
 * adjudicated excerpt, whose adjudication outranks newer labels.
 */
export async function rederiveLabel({ workspaceId, excerptId }: { workspaceId: number; excerptId: string }): Promise<number | null> {
  return inTransaction(async (client) => {
    const locked = await lockExcerptForDecision(client, { workspaceId, excerptId });
    const { categoryId } = deriveLabel(locked.decisions);
    if (categoryId !== locked.currentCategoryId) {
      await client.query(`UPDATE excerpt SET current_category_id = ${sqlInt(categoryId)} WHERE id = ${sqlInt(excerptId)}`);
    }
    return categoryId;
  });
}
