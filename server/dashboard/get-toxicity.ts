import { type TCommunityBreakdown, type TToxicityPoint, toxicityBreakdown, toxicityTrends } from "@/lib/dashboard/aggregate.ts";
import { getPool } from "../db/pool.ts";
import { type TDashboardFilters, whereForRollup } from "./filters.ts";
import { loadDashboardContext } from "./load-dashboard-context.ts";

/**
 * Toxicity in the community: the flagged rate (model, at the workspace threshold) and the
 * confirmed-toxic rate (moderators) over time, and per game/channel/source. Uses the active model's
 * predictions unless a model version is chosen in the filters.
 */
export async function getToxicity({ workspaceId, filters }: { workspaceId: number; filters: TDashboardFilters }): Promise<{
  threshold: number;
  modelVersionId: number | null;
  trends: TToxicityPoint[];
  breakdown: TCommunityBreakdown[];
}> {
  const ctx = await loadDashboardContext(workspaceId);
  const active = ctx.models.find((m) => m.status === "active");
  const modelVersionId = filters.modelVersionId ?? active?.id ?? null;
  if (modelVersionId === null) return { threshold: ctx.threshold, modelVersionId: null, trends: [], breakdown: [] };
  const where = whereForRollup({ ...filters, modelVersionId }, workspaceId, { dayColumn: "day", hasModelVersion: true });
  const res = await getPool().query<{
    day: string;
    game: string | null;
    channel: string | null;
    source: string;
    score_bin: number;
    n: number;
    n_labelled: number;
    n_confirmed_toxic: number;
  }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, game, channel, source::text AS source, score_bin,
            sum(n)::int AS n, sum(n_labelled)::int AS n_labelled, sum(n_confirmed_toxic)::int AS n_confirmed_toxic
     FROM dash_toxicity_daily WHERE ${where.sql}
     GROUP BY 1, 2, 3, 4, 5`,
    where.params,
  );
  const rows = res.rows.map((r) => ({ ...r, scoreBin: r.score_bin, nLabelled: r.n_labelled, nConfirmedToxic: r.n_confirmed_toxic }));
  const breakdown = toxicityBreakdown(rows, ctx.threshold);
  return { threshold: ctx.threshold, modelVersionId, trends: toxicityTrends(rows, ctx.threshold, filters.granularity), breakdown };
}
