import { getPool } from "../db/pool.ts";

const ROLLUPS = ["dash_accuracy_daily", "dash_moderator_hourly", "dash_toxicity_daily", "dash_multi_rated"] as const;

/**
 * Refreshes the dashboard rollups without blocking readers (CONCURRENTLY). Called by the worker
 * on a schedule and by managers from the page. An advisory lock keeps two refreshes from racing.
 */
export async function refreshDashboard(): Promise<{ refreshed: boolean; durationMs: number }> {
  const client = await getPool().connect();
  const started = Date.now();
  try {
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(724111) AS ok");
    if (!rows[0].ok) return { refreshed: false, durationMs: 0 };
    try {
      for (const view of ROLLUPS) {
        const t = Date.now();
        await client.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY "${view}"`);
        await client.query(
          `INSERT INTO dash_refresh (name, refreshed_at, duration_ms) VALUES ($1, now(), $2)
           ON CONFLICT (name) DO UPDATE SET refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms`,
          [view, Date.now() - t],
        );
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(724111)");
    }
    return { refreshed: true, durationMs: Date.now() - started };
  } finally {
    client.release();
  }
}

/** Oldest refresh time across the rollups (what the page shows as "data as of"). */
export async function getDashboardFreshness(): Promise<string | null> {
  const { rows } = await getPool().query<{ at: Date | null }>(`SELECT min(refreshed_at) AS at FROM dash_refresh`);
  return rows[0]?.at ? rows[0].at.toISOString() : null;
}
