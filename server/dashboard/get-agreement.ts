import {
  type TAlpha,
  type TPairKappa,
  type TRating,
  krippendorffAlphaNominal,
  krippendorffAlphaPerCategory,
  pairwiseCohenKappa,
  ratingsToUnits,
} from "@/lib/metrics/index.ts";
import { getPool } from "../db/pool.ts";
import { type TDashboardFilters, whereForRollup } from "./filters.ts";

export type TAgreementReport = {
  items: number;
  ratings: number;
  alpha: TAlpha;
  alphaPerCategory: { categoryId: number; alpha: TAlpha }[];
  pairs: (TPairKappa & { nameA: string; nameB: string })[];
};

/**
 * Inter-annotator agreement on excerpts labelled by two or more moderators: Cohen's kappa per pair
 * (on the items both labelled) and Krippendorff's alpha overall and per category (one-vs-rest).
 */
export async function getAgreement({ workspaceId, filters }: { workspaceId: number; filters: TDashboardFilters }): Promise<TAgreementReport> {
  const where = whereForRollup(filters, workspaceId, { dayColumn: "day", hasModelVersion: false });
  const pool = getPool();
  const [res, users] = await Promise.all([
    pool.query<{ excerpt_id: string; user_id: number; category_id: number }>(
      `SELECT excerpt_id, user_id, category_id FROM dash_multi_rated WHERE ${where.sql} AND excerpt_id IN (
         SELECT excerpt_id FROM dash_multi_rated WHERE ${where.sql} GROUP BY excerpt_id HAVING count(*) >= 2)`,
      where.params,
    ),
    pool.query<{ id: number; name: string }>(`SELECT id, name FROM app_user`),
  ]);
  const names = new Map(users.rows.map((u) => [u.id, u.name]));
  const ratings: TRating<number>[] = res.rows.map((r) => ({ unit: r.excerpt_id, rater: r.user_id, label: r.category_id }));
  const categoryIds = [...new Set(ratings.map((r) => r.label))].sort((a, b) => a - b);
  return {
    items: new Set(ratings.map((r) => r.unit)).size,
    ratings: ratings.length,
    alpha: krippendorffAlphaNominal(ratingsToUnits(ratings)),
    alphaPerCategory: krippendorffAlphaPerCategory(ratingsToUnits(ratings), categoryIds).map((a) => ({ categoryId: a.category, alpha: a.result })),
    pairs: pairwiseCohenKappa(ratings).map((p) => ({
      ...p,
      nameA: names.get(Number(p.raterA)) ?? String(p.raterA),
      nameB: names.get(Number(p.raterB)) ?? String(p.raterB),
    })),
  };
}
