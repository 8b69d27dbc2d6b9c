import { getPool } from "../db/pool.ts";
import { loadDashboardContext } from "./load-dashboard-context.ts";
import { getDashboardFreshness } from "./refresh-dashboard.ts";

/** What the filter bar offers: games and channels seen, categories, model versions; and data freshness. */
export async function getFilterOptions({ workspaceId }: { workspaceId: number }) {
  const [ctx, dims, freshness] = await Promise.all([
    loadDashboardContext(workspaceId),
    getPool().query<{ game: string | null; channel: string | null }>(
      `SELECT DISTINCT game, channel FROM dash_toxicity_daily WHERE workspace_id = $1 ORDER BY 1, 2`,
      [workspaceId],
    ),
    getDashboardFreshness(),
  ]);
  return {
    games: [...new Set(dims.rows.map((r) => r.game).filter((g): g is string => !!g))],
    channels: [...new Set(dims.rows.map((r) => r.channel).filter((c): c is string => !!c))],
    categories: ctx.categories,
    models: ctx.models,
    threshold: ctx.threshold,
    refreshedAt: freshness,
  };
}
