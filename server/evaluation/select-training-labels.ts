import { getPool } from "../db/pool.ts";
import { selectGoldSet } from "./select-gold-set.ts";

export type TTrainingLabelRow = { id: string; text: string; current_category_id: number; conversation_id: string | null };

/**
 * The labels a new version may learn from: every labelled excerpt of the workspace except the gold
 * set (held-out imports and standing audit-slice labels), so evaluation never measures what the
 * model memorised. In excerpt id order, so training is reproducible for the same labels.
 */
export async function selectTrainingLabels(options: { workspaceId: number }): Promise<{ rows: TTrainingLabelRow[]; goldExcluded: number }> {
  const gold = await selectGoldSet({ workspaceId: options.workspaceId });
  const goldIds = gold.items.map((i) => i.excerptId);
  const { rows } = await getPool().query<TTrainingLabelRow>(
    `SELECT e.id::text AS id, e.text, e.current_category_id, e.conversation_id
       FROM excerpt e
      WHERE e.workspace_id = $1 AND e.current_category_id IS NOT NULL AND NOT e.held_out
        AND NOT (e.id = ANY ($2::bigint[]))
      ORDER BY e.id`,
    [options.workspaceId, goldIds],
  );
  return { rows, goldExcluded: goldIds.length };
}
