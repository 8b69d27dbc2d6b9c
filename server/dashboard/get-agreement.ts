import { alphaFromCounts, pairKappasFromCounts } from "@/lib/dashboard/agreement-counts.ts";
import { getPool } from "../db/pool.ts";
import { type TDashboardFilters, whereForRollup } from "./filters.ts";
import type { TAgreementReport } from "@/lib/dashboard/contract.ts";

/**
 * Inter-annotator agreement on excerpts labelled by two or more moderators: Cohen's kappa per pair
 * (on the items both labelled) and Krippendorff's alpha overall and per category (one-vs-rest),
 * from the pre-counted dash_agreement_pairs rollup (see lib/dashboard/agreement-counts.ts).
 */
export async function getAgreement({ workspaceId, filters }: { workspaceId: number; filters: TDashboardFilters }): Promise<TAgreementReport> {
  const where = whereForRollup(filters, workspaceId, { dayColumn: "day", hasModelVersion: false });
  const pool = getPool();
  const [pairs, units, users] = await Promise.all([
    pool.query<{ rater_a: number; rater_b: number; label_a: number; label_b: number; n: number; w: number }>(
      `SELECT rater_a, rater_b, label_a, label_b, sum(n)::int AS n, sum(w)::float8 AS w
       FROM dash_agreement_pairs WHERE ${where.sql} GROUP BY 1, 2, 3, 4`,
      where.params,
    ),
    pool.query<{ items: number; ratings: number }>(
      `SELECT coalesce(sum(n_units), 0)::int AS items, coalesce(sum(n_units * raters), 0)::int AS ratings
       FROM dash_agreement_units WHERE ${where.sql}`,
      where.params,
    ),
    pool.query<{ id: number; name: string }>(`SELECT id, name FROM app_user`),
  ]);
  const names = new Map(users.rows.map((u) => [u.id, u.name]));
  const rows = pairs.rows.map((r) => ({ raterA: r.rater_a, raterB: r.rater_b, labelA: r.label_a, labelB: r.label_b, n: r.n, w: r.w }));
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
