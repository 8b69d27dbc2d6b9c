import { alphaFromCounts, pairKappasFromCounts, type TPairCountRow } from "@/lib/dashboard/agreement-counts.ts";
import { splitByMonths } from "@/lib/dashboard/month-split.ts";
import { getPool } from "../db/pool.ts";
import { type TDashboardFilters, whereForRollup } from "./filters.ts";
import type { TAgreementReport } from "@/lib/dashboard/contract.ts";

/**
 * Inter-annotator agreement on excerpts labelled by two or more moderators: Cohen's kappa per pair
 * (on the items both labelled) and Krippendorff's alpha overall and per category (one-vs-rest),
 * from the pre-counted rater-pair rollups, by month and by day (pairCounts below; lib/dashboard/agreement-counts.ts).
 */
export async function getAgreement({ workspaceId, filters }: { workspaceId: number; filters: TDashboardFilters }): Promise<TAgreementReport> {
  const where = whereForRollup(filters, workspaceId, { dayColumn: "day", hasModelVersion: false });
  const pool = getPool();
  const [rows, units, users] = await Promise.all([
    pairCounts(workspaceId, filters),
    pool.query<{ items: number; ratings: number }>(
      `SELECT coalesce(sum(n_units), 0)::int AS items, coalesce(sum(n_units * raters), 0)::int AS ratings
       FROM dash_agreement_units WHERE ${where.sql}`,
      where.params,
    ),
    pool.query<{ id: number; name: string }>(`SELECT id, name FROM app_user`),
  ]);
  const names = new Map(users.rows.map((u) => [u.id, u.name]));
  const pairableUnits = units.rows[0].items;
  const categoryIds = [...new Set(rows.flatMap((r) => [r.labelA, r.labelB]))].sort((a, b) => a - b);
  return {
    items: pairableUnits,
    ratings: units.rows[0].ratings,
    alpha: alphaFromCounts(rows, { pairableUnits }),
    alphaPerCategory: categoryIds.map((categoryId) => ({ categoryId, alpha: alphaFromCounts(rows, { category: categoryId, pairableUnits }) })),
    pairs: pairKappasFromCounts(rows).map((p) => ({ ...p, nameA: names.get(p.raterA) ?? String(p.raterA), nameB: names.get(p.raterB) ?? String(p.raterB) })),
  };
}

/**
 * The rater-pair counts over the filters' range: its whole calendar months from dash_agreement_pairs_monthly,
 * the days of its partial months from dash_agreement_pairs (lib/dashboard/month-split.ts), summed. A day
 * holds a row per rater pair × label pair × game × channel × source (16,456 for one day of 45,000
 * decisions by 50 moderators), so a year read by day would sum millions of rows.
 */
async function pairCounts(workspaceId: number, filters: TDashboardFilters): Promise<TPairCountRow[]> {
  const split = splitByMonths({ from: filters.from, to: filters.to });
  const reads = [
    ...(split.months ? [{ table: "dash_agreement_pairs_monthly", column: "month", range: split.months }] : []),
    ...split.edges.map((range) => ({ table: "dash_agreement_pairs", column: "day", range })),
  ].map(({ table, column, range }) => {
    const where = whereForRollup({ ...filters, from: range.from, to: range.to }, workspaceId, { dayColumn: column, hasModelVersion: false });
    return getPool().query<{ rater_a: number; rater_b: number; label_a: number; label_b: number; n: number; w: number }>(
      `SELECT rater_a, rater_b, label_a, label_b, sum(n)::int AS n, sum(w)::float8 AS w FROM ${table} WHERE ${where.sql} GROUP BY 1, 2, 3, 4`,
      where.params,
    );
  });
  const summed = new Map<string, TPairCountRow>();
  for (const { rows } of await Promise.all(reads)) {
    for (const r of rows) {
      const key = `${r.rater_a}|${r.rater_b}|${r.label_a}|${r.label_b}`;
      const row = summed.get(key);
      if (row) {
        row.n += r.n;
        row.w += r.w;
      } else summed.set(key, { raterA: r.rater_a, raterB: r.rater_b, labelA: r.label_a, labelB: r.label_b, n: r.n, w: r.w });
    }
  }
  return [...summed.values()];
}
