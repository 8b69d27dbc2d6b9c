import { goldSourceOf, snapshotLabelSet, type TGoldSource, type TLabelSetSnapshot } from "@/lib/evaluation/index.ts";
import { getPool } from "../db/pool.ts";

export type TGoldItem = { excerptId: string; text: string; categoryId: number; source: TGoldSource };
export type TGoldSet = { items: TGoldItem[]; snapshot: TLabelSetSnapshot; heldOut: number; audit: number };

type TCandidateRow = { id: string; text: string; current_category_id: number; held_out: boolean };
type TDecisionRow = {
  excerpt_id: string;
  id: string;
  kind: "label" | "skip" | "reversal";
  category_id: number | null;
  reverses_id: string | null;
  user_id: number;
  created_at: Date;
  is_audit: boolean;
};

/**
 * The workspace's unbiased gold set (lib/evaluation/gold-set.ts says what belongs in it). SQL narrows
 * to candidates — labelled excerpts that are held out or have at least one audit label decision —
 * and the one label-derivation rule decides, per candidate, whether its standing label is an audit one.
 */
export async function selectGoldSet(options: { workspaceId: number }): Promise<TGoldSet> {
  const pool = getPool();
  const { rows: candidates } = await pool.query<TCandidateRow>(
    `SELECT e.id::text AS id, e.text, e.current_category_id, e.held_out
       FROM excerpt e
      WHERE e.workspace_id = $1 AND e.current_category_id IS NOT NULL
        AND (e.held_out OR EXISTS (SELECT 1 FROM decision d WHERE d.excerpt_id = e.id AND d.is_audit AND d.kind = 'label'))
      ORDER BY e.id`,
    [options.workspaceId],
  );
  const audited = candidates.filter((c) => !c.held_out).map((c) => c.id);
  const decisionsByExcerpt = new Map<string, TDecisionRow[]>();
  if (audited.length > 0) {
    const { rows } = await pool.query<TDecisionRow>(
      `SELECT excerpt_id::text AS excerpt_id, id::text AS id, kind::text AS kind, category_id, reverses_id::text AS reverses_id, user_id, created_at, is_audit
         FROM decision WHERE excerpt_id = ANY ($1::bigint[])`,
      [audited],
    );
    for (const r of rows) {
      const list = decisionsByExcerpt.get(r.excerpt_id);
      if (list) list.push(r);
      else decisionsByExcerpt.set(r.excerpt_id, [r]);
    }
  }

  const items: TGoldItem[] = [];
  for (const c of candidates) {
    const decisions = (decisionsByExcerpt.get(c.id) ?? []).map((d) => ({
      id: d.id,
      kind: d.kind,
      categoryId: d.category_id,
      reversesId: d.reverses_id,
      userId: d.user_id,
      createdAt: d.created_at,
      isAudit: d.is_audit,
    }));
    const gold = goldSourceOf({ isHeldOut: c.held_out, decisions });
    // current_category_id is the stored result of the same derivation; it is the label training sees too
    if (gold) items.push({ excerptId: c.id, text: c.text, categoryId: c.current_category_id, source: gold.source });
  }
  return {
    items,
    snapshot: snapshotLabelSet(items),
    heldOut: items.filter((i) => i.source === "held_out").length,
    audit: items.filter((i) => i.source === "audit").length,
  };
}
