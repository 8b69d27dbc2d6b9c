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
 * the days of its partial months from dash_agreement_pairs (lib/dashboard/month-split.ts), summed in one
 * statement (one snapshot: a refresh between separate reads could move an excerpt's pairs from a day into
 * its month and count them twice). A day holds a row per rater pair × label pair × game × channel × source
 * (16,456 for one day of 45,000 decisions by 50 moderators), so a year read by day would sum millions of rows.
 */
async function pairCounts(workspaceId: number, filters: TDashboardFilters): Promise<TPairCountRow[]> {
  const split = splitByMonths({ from: filters.from, to: filters.to });
  // the filters other than the range, the same for both tables
  const common = whereForRollup({ ...filters, from: undefined, to: undefined }, workspaceId, { dayColumn: "day", hasModelVersion: false });
  const params = [...common.params];
  const part = (table: string, column: "day" | "month", range: { from?: string; to?: string }) => {
    const clauses = [common.sql];
    if (range.from !== undefined) clauses.push(`${column} >= $${params.push(range.from)}::date`);
    if (range.to !== undefined) clauses.push(`${column} <= $${params.push(range.to)}::date`);
    return `SELECT rater_a, rater_b, label_a, label_b, n, w FROM ${table} WHERE ${clauses.join(" AND ")}`;
  };
  const parts = [
    ...(split.months ? [part("dash_agreement_pairs_monthly", "month", split.months)] : []),
    ...split.edges.map((range) => part("dash_agreement_pairs", "day", range)),
  ];
  if (parts.length === 0) return [];
  const { rows } = await getPool().query<{ rater_a: number; rater_b: number; label_a: number; label_b: number; n: number; w: number }>(
    `SELECT rater_a, rater_b, label_a, label_b, sum(n)::int AS n, sum(w)::float8 AS w FROM (${parts.join(" UNION ALL ")}) p GROUP BY 1, 2, 3, 4`,
    params,
  );
  return rows.map((r) => ({ raterA: r.rater_a, raterB: r.rater_b, labelA: r.label_a, labelB: r.label_b, n: r.n, w: r.w }));
}
