import { moderatorStats } from "@/lib/dashboard/aggregate.ts";
import { getPool } from "../db/pool.ts";
import { type TDashboardFilters, whereForRollup } from "./filters.ts";
import type { TTeamReport } from "@/lib/dashboard/contract.ts";

/** "Is the team keeping up?" Throughput and time to decide per moderator, plus the backlog now. */
export async function getTeam({ workspaceId, filters }: { workspaceId: number; filters: TDashboardFilters }): Promise<TTeamReport> {
  // Team figures follow the date range only: the moderator rollups are keyed by moderator, not by community.
  const dateOnly = { ...filters, game: undefined, channel: undefined, source: undefined, categoryId: undefined, modelVersionId: undefined };
  const hourWhere = whereForRollup(dateOnly, workspaceId, { dayColumn: "hour::date", hasModelVersion: false });
  const dayWhere = whereForRollup(dateOnly, workspaceId, { dayColumn: "day", hasModelVersion: false });
  const pool = getPool();
  // Summed in SQL, per moderator and per hour: the rollup has a row per (hour, moderator), ~65,000 for a
  // team of 30 over 90 days, and moving them all to Node cost more than the rest of the report together.
  const [hours, hourly, durations, users, backlog, oldest, recent] = await Promise.all([
    pool.query<{ user_id: number; n: number; n_corrections: number; active_hours: number }>(
      `SELECT user_id, sum(n)::int AS n, sum(n_corrections)::int AS n_corrections, count(*) FILTER (WHERE n <> 0)::int AS active_hours
       FROM dash_moderator_hourly WHERE ${hourWhere.sql} GROUP BY user_id`,
      hourWhere.params,
    ),
    pool.query<{ hour: string; n: number }>(
      `SELECT to_char(hour, 'YYYY-MM-DD"T"HH24:00') AS hour, sum(n)::int AS n FROM dash_moderator_hourly WHERE ${hourWhere.sql}
       GROUP BY hour HAVING sum(n) <> 0 ORDER BY hour`,
      hourWhere.params,
    ),
    pool.query<{ user_id: number; duration_bucket: number; n: number }>(
      `SELECT user_id, duration_bucket, sum(n)::int AS n FROM dash_moderator_durations WHERE ${dayWhere.sql} GROUP BY 1, 2`,
      dayWhere.params,
    ),
    pool.query<{ id: number; name: string; email: string }>(`SELECT id, name, email FROM app_user`),
    // live: open items from the maintained counter (a count over 5M open items took seconds), leased ones
    // from the lease log of the last minutes (every lease is logged in queue_claim), checked on queue_item.
    // "Being reviewed now" counts live leases of active, signed-in moderators only: a deactivated or
    // signed-out moderator is reviewing nothing, whatever they still hold
    pool.query<{ open: number; leased: number }>(
      `SELECT (SELECT coalesce(sum(n), 0) FROM queue_open_count WHERE workspace_id = $1)::int AS open,
              (SELECT count(*) FROM queue_item q
               WHERE q.excerpt_id IN (SELECT c.excerpt_id FROM queue_claim c WHERE c.workspace_id = $1 AND c.lease_expires_at > now())
                 AND q.workspace_id = $1 AND q.is_open AND q.leased_by_id IS NOT NULL AND q.lease_expires_at > now()
                 AND q.leased_by_id IN (SELECT u.id FROM app_user u WHERE u.is_active
                                          AND EXISTS (SELECT 1 FROM session s WHERE s.user_id = u.id AND s.expires_at > now())))::int AS leased`,
      [workspaceId],
    ),
    pool.query<{ created_at: Date }>(
      // the oldest open item first, then its excerpt: as a join, the planner merged along excerpt's primary key
      // from id 1 up to it (every labelled excerpt: 3 s at 1M)
      `SELECT e.created_at FROM excerpt e
       WHERE e.id = (SELECT q.excerpt_id FROM queue_item q WHERE q.workspace_id = $1 AND q.is_open ORDER BY q.excerpt_id LIMIT 1)`,
      [workspaceId],
    ),
    // both from hourly counters (a count over the excerpt index scanned every row added in the last day: 1 s
    // after a 1M-row import); "last 24 h" is from the start of the hour 24 h ago, so up to an hour more
    pool.query<{ decided: number; added: number }>(
      `SELECT (SELECT coalesce(sum(n), 0) FROM dash_moderator_hourly WHERE workspace_id = $1 AND hour >= (now() AT TIME ZONE 'UTC') - interval '24 hours')::int AS decided,
              (SELECT coalesce(sum(n), 0) FROM excerpt_added_hourly WHERE workspace_id = $1 AND hour >= date_trunc('hour', (now() AT TIME ZONE 'UTC') - interval '24 hours'))::int AS added`,
      [workspaceId],
    ),
  ]);
  const byId = new Map(users.rows.map((u) => [u.id, u]));
  const hourRows = hours.rows.map((r) => ({ userId: r.user_id, n: r.n, nCorrections: r.n_corrections, activeHours: r.active_hours }));
  const durationRows = durations.rows.map((r) => ({ userId: r.user_id, durationBucket: r.duration_bucket, n: r.n }));
  const oldestAt = oldest.rows[0]?.created_at;
  return {
    moderators: moderatorStats(hourRows, durationRows).map((m) => ({
      ...m,
      name: byId.get(m.userId)?.name ?? `user ${m.userId}`,
      email: byId.get(m.userId)?.email ?? "",
    })),
    hourly: hourly.rows.map((r) => ({ hour: r.hour, decisions: r.n })),
    backlog: {
      open: backlog.rows[0].open,
      leasedNow: backlog.rows[0].leased,
      oldestAgeHours: oldestAt ? (Date.now() - oldestAt.getTime()) / 3600_000 : null,
      decidedLast24h: recent.rows[0].decided,
      addedLast24h: recent.rows[0].added,
    },
  };
}
