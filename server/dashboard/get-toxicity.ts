import { firstFlaggedBin, type TCommunityBreakdown, type TToxicityPoint, toxicityBreakdown, toxicityTrends } from "@/lib/dashboard/aggregate.ts";
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
  // Summed in SQL to what the two views need, flagged or not (the score bins beyond the threshold are all
  // alike to them): per day, and per community. Handing Node every (day, community, bin) row of the rollup
  // took ~1 s at 10M decisions, nearly all of it moving and parsing ~100,000 rows.
  const flaggedFrom = firstFlaggedBin(ctx.threshold);
  where.params.push(flaggedFrom);
  const res = await getPool().query<{
    day: string | null;
    game: string | null;
    channel: string | null;
    source: string | null;
    flagged: boolean;
    n: number;
    n_labelled: number;
    n_confirmed_toxic: number;
    by_day: boolean;
  }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, game, channel, source::text AS source, score_bin >= $${where.params.length} AS flagged,
            sum(n)::int AS n, sum(n_labelled)::int AS n_labelled, sum(n_confirmed_toxic)::int AS n_confirmed_toxic,
            GROUPING(day) = 0 AS by_day
     FROM dash_toxicity_daily WHERE ${where.sql}
     GROUP BY GROUPING SETS ((day, score_bin >= $${where.params.length}), (game, channel, source, score_bin >= $${where.params.length}))`,
    where.params,
  );
  const rows = res.rows.map((r) => ({
    day: r.day ?? "",
    game: r.game,
    channel: r.channel,
    source: r.source ?? "",
    scoreBin: r.flagged ? flaggedFrom : 0,
    n: r.n,
    nLabelled: r.n_labelled,
    nConfirmedToxic: r.n_confirmed_toxic,
    byDay: r.by_day,
  }));
  const breakdown = toxicityBreakdown(
    rows.filter((r) => !r.byDay),
    ctx.threshold,
  );
  const trends = toxicityTrends(
    rows.filter((r) => r.byDay),
    ctx.threshold,
    filters.granularity,
  );
  return { threshold: ctx.threshold, modelVersionId, trends, breakdown };
}
