import { getPool } from "../db/pool.ts";

// dash_agreement_pairs and _units are built from dash_multi_rated, so it comes after it.
const ROLLUPS = [
  "dash_accuracy_daily",
  "dash_moderator_hourly",
  "dash_moderator_durations",
  "dash_toxicity_daily",
  "dash_multi_rated",
  "dash_agreement_pairs",
  "dash_agreement_units",
] as const;

/** A scheduled refresh waits at least this many times the last refresh's duration (and a minute). */
const DUTY_CYCLE = 5;

/**
 * Refreshes the dashboard rollups without blocking readers (CONCURRENTLY). Called by the worker
 * every minute and by managers from the page (force). An advisory lock keeps two refreshes from
 * racing. On big workspaces a refresh takes a while (≈ 45 s at 1M decisions on 2 cores), so the
 * scheduled one backs off to keep the database mostly free for moderators.
 */
export async function refreshDashboard({ force = true }: { force?: boolean } = {}): Promise<{ refreshed: boolean; durationMs: number }> {
  const client = await getPool().connect();
  const started = Date.now();
  try {
    if (!force) {
      const { rows: last } = await client.query<{ age_ms: number | null; took_ms: number | null }>(
        `SELECT (extract(epoch FROM now() - min(refreshed_at)) * 1000)::float8 AS age_ms, sum(duration_ms)::float8 AS took_ms FROM dash_refresh`,
      );
      const { age_ms: ageMs, took_ms: tookMs } = last[0];
      if (ageMs !== null && tookMs !== null && ageMs < Math.max(60_000, DUTY_CYCLE * tookMs)) return { refreshed: false, durationMs: 0 };
    }
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
