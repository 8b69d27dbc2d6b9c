import { resolveLabel, type TDecisionInput } from "@/lib/export/resolve-label.ts";
import { deriveLabel } from "@/lib/labels/derive-label.ts";
import { getPool } from "../db/pool.ts";

export type TLabelMismatch = { excerptId: string; cached: number | null; derived: number | null; exported: number | null };

type TRow = {
  excerpt_id: string;
  cached: number | null;
  id: string;
  kind: "label" | "skip" | "reversal";
  category_id: number | null;
  reverses_id: string | null;
  user_id: number;
  created_at: Date;
  origin: string;
};

/**
 * The label-rule audit: for every excerpt of the workspace that has decisions, the label cached in
 * excerpt.current_category_id (written by the queue's SQL, undo, adjudication, re-review and the importer)
 * against lib/labels' deriveLabel over its decisions and the export's resolveLabel (rule "latest"). Any
 * difference is a second label rule somewhere; the fault suite and the tests expect none.
 */
export async function findLabelMismatches({ workspaceId }: { workspaceId: number }): Promise<{ excerpts: number; mismatches: TLabelMismatch[] }> {
  const { rows } = await getPool().query<TRow>(
    `SELECT e.id::text AS excerpt_id, e.current_category_id AS cached, d.id::text AS id, d.kind::text AS kind, d.category_id,
            d.reverses_id::text AS reverses_id, d.user_id, d.created_at, d.origin::text AS origin
     FROM excerpt e JOIN decision d ON d.excerpt_id = e.id
     WHERE e.workspace_id = $1 ORDER BY e.id, d.id`,
    [workspaceId],
  );
  const byExcerpt = new Map<string, TRow[]>();
  for (const r of rows) {
    const list = byExcerpt.get(r.excerpt_id);
    if (list) list.push(r);
    else byExcerpt.set(r.excerpt_id, [r]);
  }
  const mismatches: TLabelMismatch[] = [];
  for (const [excerptId, list] of byExcerpt) {
    const derived = deriveLabel(
      list.map((r) => ({
        id: r.id,
        kind: r.kind,
        categoryId: r.category_id,
        reversesId: r.reverses_id,
        userId: r.user_id,
        createdAt: r.created_at,
        origin: r.origin,
      })),
    ).categoryId;
    const exportInput: TDecisionInput[] = list
      .filter((r) => r.kind !== "skip")
      .map((r) => ({
        id: r.id,
        kind: r.kind,
        userId: r.user_id,
        categoryId: r.category_id,
        reversesId: r.reverses_id,
        origin: r.origin,
        isAudit: false,
        createdAtMs: r.created_at.getTime(),
        modelVersionId: null,
        suggestedCategoryId: null,
        suggestedConfidence: null,
        toxicScore: null,
      }));
    const exported = resolveLabel(exportInput, { rule: "latest" })?.categoryId ?? null;
    const cached = list[0].cached;
    if (cached !== derived || exported !== derived) mismatches.push({ excerptId, cached, derived, exported });
  }
  return { excerpts: byExcerpt.size, mismatches };
}
