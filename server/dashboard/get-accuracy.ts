import { type TAccuracyRow, accuracyTrends, confusionFromRows, mostCorrected } from "@/lib/dashboard/aggregate.ts";
import { getPool } from "../db/pool.ts";
import { type TDashboardFilters, whereForRollup } from "./filters.ts";
import { loadDashboardContext } from "./load-dashboard-context.ts";
import type { TAccuracyReport } from "@/lib/dashboard/contract.ts";

/**
 * "Is the model getting better, and where does it fail?" Model suggestion vs moderator label from
 * the dash_accuracy_daily rollup. slice=audit keeps only the random audit slice (unbiased);
 * slice=all includes the uncertainty-ranked items, which overstate the error rate.
 */
export async function getAccuracy({ workspaceId, filters }: { workspaceId: number; filters: TDashboardFilters }): Promise<TAccuracyReport> {
  const where = whereForRollup(filters, workspaceId, {
    dayColumn: "day",
    hasModelVersion: true,
    categoryColumns: ["category_id", "suggested_category_id"],
  });
  const [ctx, res] = await Promise.all([
    loadDashboardContext(workspaceId),
    getPool().query<{ day: string; model_version_id: number; is_audit: boolean; suggested_category_id: number; category_id: number; n: number }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, model_version_id, is_audit, suggested_category_id, category_id, sum(n)::int AS n
       FROM dash_accuracy_daily WHERE ${where.sql}
       GROUP BY 1, 2, 3, 4, 5`,
      where.params,
    ),
  ]);
  const all: TAccuracyRow[] = res.rows.map((r) => ({
    day: r.day,
    modelVersionId: r.model_version_id,
    isAudit: r.is_audit,
    suggestedCategoryId: r.suggested_category_id,
    categoryId: r.category_id,
    n: r.n,
  }));
  const rows = filters.slice === "audit" ? all.filter((r) => r.isAudit) : all;
  const confusion = confusionFromRows(rows, ctx.categories);
  return {
    trends: accuracyTrends(rows, ctx.categories, filters.granularity),
    confusion,
    corrections: mostCorrected(confusion),
    models: ctx.models,
    categories: ctx.categories,
    totals: { labels: all.reduce((a, r) => a + r.n, 0), auditLabels: all.filter((r) => r.isAudit).reduce((a, r) => a + r.n, 0) },
  };
}
