import { normaliseText } from "@/lib/export/normalise.ts";
import { getPool } from "../db/pool.ts";
import { selectGoldSet } from "./select-gold-set.ts";

export type TTrainingLabelRow = { id: string; text: string; current_category_id: number; conversation_id: string | null };

/**
 * The labels a new version may learn from: every labelled excerpt of the workspace except the gold
 * set (held-out imports and standing audit-slice labels) and except every excerpt whose text is the same
 * as a gold row's once normalised (the export's near-duplicate grouping, lib/export/normalise.ts), so
 * evaluation never measures what the model memorised, not even under another spelling. In excerpt id
 * order, so training is reproducible for the same labels.
 */
export async function selectTrainingLabels(options: {
  workspaceId: number;
}): Promise<{ rows: TTrainingLabelRow[]; goldExcluded: number; nearDuplicatesExcluded: number }> {
  const gold = await selectGoldSet({ workspaceId: options.workspaceId });
  const goldIds = gold.items.map((i) => i.excerptId);
  const { rows: goldTexts } = await getPool().query<{ text: string }>(`SELECT text FROM excerpt WHERE id = ANY ($1::bigint[])`, [goldIds]);
  const goldNormalised = new Set(goldTexts.map((r) => normaliseText(r.text)));
  const { rows } = await getPool().query<TTrainingLabelRow>(
    `SELECT e.id::text AS id, e.text, e.current_category_id, e.conversation_id
       FROM excerpt e
      WHERE e.workspace_id = $1 AND e.current_category_id IS NOT NULL AND NOT e.held_out
        AND NOT (e.id = ANY ($2::bigint[]))
      ORDER BY e.id`,
    [options.workspaceId, goldIds],
  );
  const kept = rows.filter((r) => !goldNormalised.has(normaliseText(r.text)));
  return { rows: kept, goldExcluded: goldIds.length, nearDuplicatesExcluded: rows.length - kept.length };
}
