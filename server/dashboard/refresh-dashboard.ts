import { getPool } from "../db/pool.ts";
import { sqlInt } from "../db/sql-int.ts";
import { inTransaction } from "../db/transaction.ts";

// The rollups (plain tables, see prisma/migrations/20261206140000_scale_counts_incremental_rollups) and
// the order they are brought up to date in: agreement is counted from dash_multi_rated, so after it.
const ROLLUPS = [
  "dash_accuracy_daily",
  "dash_moderator_hourly",
  "dash_moderator_durations",
  "dash_toxicity_daily",
  "dash_multi_rated",
  "dash_agreement_pairs",
  "dash_agreement_pairs_monthly",
  "dash_agreement_units",
] as const;

/** A scheduled refresh waits at least this many times the last refresh's duration (and a minute). */
const DUTY_CYCLE = 5;
const LOCK_ID = 724111;

// ---------------------------------------------------------------------------------------------------
// What each rollup counts, written once over a "source" of signed rows: a full rebuild passes every
// standing row with sign +1; an incremental refresh passes only what changed since the last refresh,
// +1 for what now counts and −1 for what stopped counting. The upsert adds, so a rollup row ends up
// holding the same count either way; rows that fall to zero are deleted.
// ---------------------------------------------------------------------------------------------------

/** Every label decision that stands (no reversal points at it), as the rollups have always counted. */
const ALL_STANDING_DECISIONS = `
  SELECT x.*, 1 AS sign FROM decision x
  WHERE x.kind = 'label' AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = x.id)`;
// the changed decisions' rows with their sign, copied once into a temporary table (three rollups read them)
const CHANGED_DECISIONS = `SELECT * FROM dash_decision_rows`;

const accuracySql = (decisions: string, excerpts = "excerpt") => `
INSERT INTO dash_accuracy_daily AS t (workspace_id, day, model_version_id, is_audit, game, channel, source, suggested_category_id, category_id, n)
SELECT d.workspace_id, (d.created_at AT TIME ZONE 'UTC')::date, d.model_version_id, d.is_audit, e.game, e.channel, e.source,
       d.suggested_category_id, d.category_id, sum(d.sign)::int
FROM (${decisions}) d JOIN ${excerpts} e ON e.id = d.excerpt_id
WHERE d.suggested_category_id IS NOT NULL AND d.model_version_id IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
ON CONFLICT (workspace_id, day, model_version_id, is_audit, game, channel, source, suggested_category_id, category_id)
DO UPDATE SET n = t.n + excluded.n`;

const hourlySql = (decisions: string) => `
INSERT INTO dash_moderator_hourly AS t (workspace_id, hour, user_id, n, n_corrections)
SELECT d.workspace_id, date_trunc('hour', d.created_at AT TIME ZONE 'UTC'), d.user_id, sum(d.sign)::int,
       coalesce(sum(d.sign) FILTER (WHERE d.suggested_category_id IS NOT NULL AND d.category_id <> d.suggested_category_id), 0)::int
FROM (${decisions}) d
WHERE d.origin IN ('queue', 'review')
GROUP BY 1, 2, 3
ON CONFLICT (workspace_id, hour, user_id) DO UPDATE SET n = t.n + excluded.n, n_corrections = t.n_corrections + excluded.n_corrections`;

const durationsSql = (decisions: string) => `
INSERT INTO dash_moderator_durations AS t (workspace_id, day, user_id, duration_bucket, n)
SELECT d.workspace_id, (d.created_at AT TIME ZONE 'UTC')::date, d.user_id,
       width_bucket(coalesce(d.duration_ms, 0), ARRAY[500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000, 20000, 30000, 60000]),
       sum(d.sign)::int
FROM (${decisions}) d
WHERE d.origin IN ('queue', 'review')
GROUP BY 1, 2, 3, 4
ON CONFLICT (workspace_id, day, user_id, duration_bucket) DO UPDATE SET n = t.n + excluded.n`;

// Toxicity counts predictions (n) and, of those, the ones whose excerpt is labelled / labelled toxic.
// A source row: the prediction, its excerpt, and the three signed differences it brings.
const ALL_PREDICTIONS = `
  SELECT p.model_version_id, p.toxic_score, e.workspace_id, e.occurred_at, e.created_at, e.game, e.channel, e.source,
         1 AS dn, (e.current_category_id IS NOT NULL)::int AS dl, coalesce(c.is_non_toxic = false, false)::int AS dt
  FROM prediction p JOIN excerpt e ON e.id = p.excerpt_id LEFT JOIN category c ON c.id = e.current_category_id`;
// New predictions count with the label their excerpt has now; predictions counted before move from the
// logged old label to the logged new one (label changes of one excerpt chain, so their sum is the net move).
const CHANGED_PREDICTIONS = `
  SELECT p.model_version_id, p.toxic_score, e.workspace_id, e.occurred_at, e.created_at, e.game, e.channel, e.source,
         1 AS dn, (e.current_category_id IS NOT NULL)::int AS dl, coalesce(c.is_non_toxic = false, false)::int AS dt
  FROM dash_new_prediction np JOIN prediction p ON p.id = np.id JOIN dash_excerpt_rows e ON e.id = p.excerpt_id
  LEFT JOIN category c ON c.id = e.current_category_id
  UNION ALL
  SELECT p.model_version_id, p.toxic_score, e.workspace_id, e.occurred_at, e.created_at, e.game, e.channel, e.source,
         0, (l.new_category_id IS NOT NULL)::int - (l.old_category_id IS NOT NULL)::int,
         coalesce(cn.is_non_toxic = false, false)::int - coalesce(co.is_non_toxic = false, false)::int
  FROM dash_label_change l JOIN prediction p ON p.excerpt_id = l.excerpt_id JOIN dash_excerpt_rows e ON e.id = l.excerpt_id
  LEFT JOIN category cn ON cn.id = l.new_category_id LEFT JOIN category co ON co.id = l.old_category_id
  WHERE NOT EXISTS (SELECT 1 FROM dash_new_prediction np WHERE np.id = p.id)`;

const toxicitySql = (predictions: string) => `
INSERT INTO dash_toxicity_daily AS t (workspace_id, day, model_version_id, game, channel, source, score_bin, n, n_labelled, n_confirmed_toxic)
SELECT s.workspace_id, (coalesce(s.occurred_at, s.created_at) AT TIME ZONE 'UTC')::date, s.model_version_id, s.game, s.channel, s.source,
       least(width_bucket(s.toxic_score, 0, 1, 20), 20), sum(s.dn)::int, sum(s.dl)::int, sum(s.dt)::int
FROM (${predictions}) s
GROUP BY 1, 2, 3, 4, 5, 6, 7
HAVING sum(s.dn) <> 0 OR sum(s.dl) <> 0 OR sum(s.dt) <> 0
ON CONFLICT (workspace_id, day, model_version_id, game, channel, source, score_bin)
DO UPDATE SET n = t.n + excluded.n, n_labelled = t.n_labelled + excluded.n_labelled, n_confirmed_toxic = t.n_confirmed_toxic + excluded.n_confirmed_toxic`;

// Each moderator's standing label on every excerpt at least two moderators labelled (a relabel counts
// once, with its latest label); `scope` limits it to some excerpts.
const multiRatedSql = (scope: string) => `
INSERT INTO dash_multi_rated (workspace_id, excerpt_id, user_id, category_id, day, game, channel, source)
WITH standing AS (
  SELECT DISTINCT ON (d.excerpt_id, d.user_id) d.workspace_id, d.excerpt_id, d.user_id, d.category_id, d.created_at
  FROM decision d
  WHERE d.kind = 'label' AND d.origin IN ('queue', 'review') AND ${scope}
    AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id)
  ORDER BY d.excerpt_id, d.user_id, d.id DESC
)
SELECT s.workspace_id, s.excerpt_id, s.user_id, s.category_id, (s.created_at AT TIME ZONE 'UTC')::date, e.game, e.channel, e.source
FROM standing s JOIN excerpt e ON e.id = s.excerpt_id
WHERE s.excerpt_id IN (SELECT excerpt_id FROM standing GROUP BY excerpt_id HAVING count(*) >= 2)`;

// Krippendorff's coincidence counts per ordered rater pair (n, and w weighted by 1/(m−1)), and the
// number of multi-rated excerpts per cell, from the dash_multi_rated rows in `scope`, times `sign`.
// The pairs are kept per day and per calendar month (dash_agreement_pairs_monthly: a long range reads its
// whole months there), each from the same rows: `period` is the unit's day or its month's first day.
const agreementPairsSql = (scope: string, sign: 1 | -1, table: string, column: "day" | "month") => {
  const period = column === "day" ? "u.day" : "date_trunc('month', u.day::timestamp)::date";
  return `INSERT INTO ${table} AS t (workspace_id, ${column}, game, channel, source, rater_a, rater_b, label_a, label_b, n, w)
   WITH m AS (SELECT * FROM dash_multi_rated WHERE ${scope}),
   units AS (SELECT excerpt_id, count(*) AS raters, min(day) AS day FROM m GROUP BY excerpt_id)
   SELECT a.workspace_id, ${period}, a.game, a.channel, a.source, a.user_id, b.user_id, a.category_id, b.category_id,
          ${sign} * count(*)::int, (${sign} * sum(1.0 / (u.raters - 1)))::float8
   FROM m a JOIN m b ON b.excerpt_id = a.excerpt_id AND b.user_id <> a.user_id JOIN units u ON u.excerpt_id = a.excerpt_id
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
   ON CONFLICT (workspace_id, ${column}, game, channel, source, rater_a, rater_b, label_a, label_b) DO UPDATE SET n = t.n + excluded.n, w = t.w + excluded.w`;
};

const agreementSql = (scope: string, sign: 1 | -1) => [
  agreementPairsSql(scope, sign, "dash_agreement_pairs", "day"),
  agreementPairsSql(scope, sign, "dash_agreement_pairs_monthly", "month"),
  `INSERT INTO dash_agreement_units AS t (workspace_id, day, game, channel, source, raters, n_units)
   WITH m AS (SELECT * FROM dash_multi_rated WHERE ${scope})
   SELECT m.workspace_id, u.day, m.game, m.channel, m.source, u.raters::int, ${sign} * count(DISTINCT m.excerpt_id)::int
   FROM m JOIN (SELECT excerpt_id, count(*) AS raters, min(day) AS day FROM m GROUP BY excerpt_id) u ON u.excerpt_id = m.excerpt_id
   GROUP BY 1, 2, 3, 4, 5, 6
   ON CONFLICT (workspace_id, day, game, channel, source, raters) DO UPDATE SET n_units = t.n_units + excluded.n_units`,
];

const DROP_EMPTY_ROWS = [
  "DELETE FROM dash_accuracy_daily WHERE n = 0",
  "DELETE FROM dash_moderator_hourly WHERE n = 0",
  "DELETE FROM dash_moderator_durations WHERE n = 0",
  "DELETE FROM dash_toxicity_daily WHERE n = 0",
  "DELETE FROM dash_agreement_pairs WHERE n = 0",
  "DELETE FROM dash_agreement_pairs_monthly WHERE n = 0",
  "DELETE FROM dash_agreement_units WHERE n_units = 0",
];

// Takes the change log (as this transaction's snapshot sees it: changes committed later stay for the
// next refresh) into temporary tables, and turns new decisions into signed standing changes: +1 for a
// new label nothing reverses, −1 for an already counted label that a new reversal undoes (a label
// reversed before this batch stopped counting then; one reversed inside it never counted).
// With a workspace, only that workspace's log rows are taken; the others stay for the next refresh.
// That is sound because nothing a rollup counts crosses workspaces: a reversal, the label it undoes,
// a prediction, its excerpt and that excerpt's label changes all belong to one workspace.
const takeChanges = (workspaceId: number | undefined) => [
  `CREATE TEMP TABLE dash_new_decision (id bigint PRIMARY KEY) ON COMMIT DROP`,
  `CREATE TEMP TABLE dash_new_prediction (id bigint PRIMARY KEY) ON COMMIT DROP`,
  `CREATE TEMP TABLE dash_label_change (excerpt_id bigint, old_category_id int, new_category_id int) ON COMMIT DROP`,
  `CREATE TEMP TABLE dash_decision_delta (id bigint, sign int) ON COMMIT DROP`,
  `CREATE TEMP TABLE dash_dirty_excerpt (excerpt_id bigint PRIMARY KEY) ON COMMIT DROP`,
  ...(workspaceId === undefined
    ? [
        `WITH taken AS (DELETE FROM dash_pending_decision RETURNING decision_id) INSERT INTO dash_new_decision SELECT DISTINCT decision_id FROM taken`,
        `WITH taken AS (DELETE FROM dash_pending_prediction RETURNING prediction_id) INSERT INTO dash_new_prediction SELECT DISTINCT prediction_id FROM taken`,
        `WITH taken AS (DELETE FROM dash_pending_label RETURNING *) INSERT INTO dash_label_change SELECT * FROM taken`,
      ]
    : [
        `WITH taken AS (DELETE FROM dash_pending_decision l USING decision d WHERE d.id = l.decision_id AND d.workspace_id = ${sqlInt(workspaceId)}
                        RETURNING l.decision_id)
         INSERT INTO dash_new_decision SELECT DISTINCT decision_id FROM taken`,
        `WITH taken AS (DELETE FROM dash_pending_prediction l USING prediction p JOIN excerpt e ON e.id = p.excerpt_id
                        WHERE p.id = l.prediction_id AND e.workspace_id = ${sqlInt(workspaceId)} RETURNING l.prediction_id)
         INSERT INTO dash_new_prediction SELECT DISTINCT prediction_id FROM taken`,
        `WITH taken AS (DELETE FROM dash_pending_label l USING excerpt e WHERE e.id = l.excerpt_id AND e.workspace_id = ${sqlInt(workspaceId)}
                        RETURNING l.excerpt_id, l.old_category_id, l.new_category_id)
         INSERT INTO dash_label_change SELECT * FROM taken`,
      ]),
  `ANALYZE dash_new_decision`,
  `ANALYZE dash_new_prediction`,
  `ANALYZE dash_label_change`,
  `INSERT INTO dash_decision_delta (id, sign)
   SELECT d.id, 1 FROM dash_new_decision n JOIN decision d ON d.id = n.id
   WHERE d.kind = 'label' AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id)
   UNION ALL
   SELECT d.id, -1 FROM decision d
   WHERE d.id IN (SELECT r.reverses_id FROM dash_new_decision n JOIN decision r ON r.id = n.id WHERE r.kind = 'reversal')
     AND d.kind = 'label'
     AND NOT EXISTS (SELECT 1 FROM dash_new_decision n WHERE n.id = d.id)
     AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id AND NOT EXISTS (SELECT 1 FROM dash_new_decision n WHERE n.id = r.id))`,
  `CREATE TEMP TABLE dash_decision_rows ON COMMIT DROP AS SELECT x.*, s.sign FROM dash_decision_delta s JOIN decision x ON x.id = s.id`,
  `INSERT INTO dash_dirty_excerpt SELECT DISTINCT d.excerpt_id FROM dash_new_decision n JOIN decision d ON d.id = n.id`,
  // the touched excerpts' rows, read once (accuracy and toxicity both need them; at 10M they are random reads)
  `CREATE TEMP TABLE dash_excerpt_rows ON COMMIT DROP AS
   SELECT e.id, e.workspace_id, e.game, e.channel, e.source, e.occurred_at, e.created_at, e.current_category_id FROM excerpt e
   WHERE e.id IN (SELECT excerpt_id FROM dash_decision_rows UNION SELECT excerpt_id FROM dash_label_change
                  UNION SELECT p.excerpt_id FROM dash_new_prediction np JOIN prediction p ON p.id = np.id)`,
  `CREATE UNIQUE INDEX ON dash_excerpt_rows (id)`,
  `ANALYZE dash_decision_rows`,
  `ANALYZE dash_excerpt_rows`,
  `ANALYZE dash_dirty_excerpt`,
];

const DIRTY_ROWS = "excerpt_id IN (SELECT excerpt_id FROM dash_dirty_excerpt)";

/** Statements that bring every rollup up to date with the logged changes (of one workspace, or of all). */
const incremental = (workspaceId: number | undefined) => [
  ...takeChanges(workspaceId),
  accuracySql(CHANGED_DECISIONS, "dash_excerpt_rows"),
  hourlySql(CHANGED_DECISIONS),
  durationsSql(CHANGED_DECISIONS),
  toxicitySql(CHANGED_PREDICTIONS),
  // agreement: the touched excerpts' old contribution out, their rows recomputed, the new one in
  ...agreementSql(DIRTY_ROWS, -1),
  `DELETE FROM dash_multi_rated WHERE ${DIRTY_ROWS}`,
  multiRatedSql(`d.excerpt_id IN (SELECT excerpt_id FROM dash_dirty_excerpt)`),
  ...agreementSql(DIRTY_ROWS, 1),
  ...DROP_EMPTY_ROWS,
];

/**
 * Statements that rebuild every rollup from the raw tables. DELETE rather than TRUNCATE: it removes only
 * the log rows this snapshot sees (later ones stay, to be applied on top) and never blocks writers.
 */
const REBUILD = [
  "DELETE FROM dash_pending_decision",
  "DELETE FROM dash_pending_prediction",
  "DELETE FROM dash_pending_label",
  ...ROLLUPS.map((r) => `DELETE FROM ${r}`),
  accuracySql(ALL_STANDING_DECISIONS),
  hourlySql(ALL_STANDING_DECISIONS),
  durationsSql(ALL_STANDING_DECISIONS),
  toxicitySql(ALL_PREDICTIONS),
  multiRatedSql("true"),
  ...agreementSql("true", 1),
  ...DROP_EMPTY_ROWS,
  // Fresh statistics, or the next incremental refresh plans its "rows of these 10,000 excerpts" as a scan
  // of all 4M multi-rated rows (measured: 5-8 s per agreement statement at 10M decisions, before autovacuum
  // got round to the new table).
  ...ROLLUPS.map((r) => `ANALYZE ${r}`),
];

export type TRefreshDashboardOptions = {
  /** false: a scheduled refresh, skipped when the last one was recent (see DUTY_CYCLE) */
  force?: boolean;
  /** recompute everything from the raw tables instead of applying the logged changes */
  rebuild?: boolean;
  /**
   * apply only this workspace's logged changes (a manager's refresh from one workspace's page); the
   * others' wait for the scheduled refresh, so the recorded "data as of" time is left alone. The first
   * refresh of a database still builds everything.
   */
  workspaceId?: number;
  /** called with each statement's first line and its time (benchmarks, diagnosing a slow refresh) */
  onStatement?: (sql: string, ms: number) => void;
};

/**
 * Brings the dashboard rollups up to date. Called by the worker every minute and by managers from the
 * page (force). Normally it applies only what changed since the last refresh (its cost follows the number
 * of new decisions, predictions and label changes); the first refresh of a database, or one asked to,
 * rebuilds everything. Either way it runs in one REPEATABLE READ transaction, so readers see the old
 * rollups until the new ones are complete, and an advisory lock keeps two refreshes from racing.
 */
export async function refreshDashboard({ force = true, rebuild = false, workspaceId, onStatement }: TRefreshDashboardOptions = {}): Promise<{
  refreshed: boolean;
  durationMs: number;
  rebuilt: boolean;
}> {
  const client = await getPool().connect();
  const started = Date.now();
  try {
    const { rows: last } = await client.query<{ age_ms: number | null; took_ms: number | null; built: number }>(
      `SELECT (extract(epoch FROM now() - min(refreshed_at)) * 1000)::float8 AS age_ms, max(duration_ms)::float8 AS took_ms,
              count(*) FILTER (WHERE name = ANY ($1::text[]))::int AS built
       FROM dash_refresh`,
      [ROLLUPS],
    );
    const { age_ms: ageMs, took_ms: tookMs } = last[0];
    // built: every rollup has been refreshed once. A rollup added since (a migration creates and backfills it)
    // gets a rebuild on the first refresh of this code: a refresh by older code still running during the
    // upgrade would have updated the others but not it.
    const isBuilt = ageMs !== null && last[0].built === ROLLUPS.length;
    if (!force && isBuilt && tookMs !== null && ageMs < Math.max(60_000, DUTY_CYCLE * tookMs)) return { refreshed: false, durationMs: 0, rebuilt: false };
    const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_ID}) AS ok`);
    if (!rows[0].ok) return { refreshed: false, durationMs: 0, rebuilt: false };
    const isRebuild = rebuild || !isBuilt;
    try {
      await inTransaction(
        async () => {
          // a rebuild sorts every standing decision (multi-rated labels): in memory rather than in temp files
          if (isRebuild) await client.query(`SET LOCAL work_mem = '128MB'`);
          // An incremental refresh touches a few thousand rows, but the planner's estimates for the agreement
          // self-join run to millions, past the JIT threshold: compiling took 2.7 s of a 30 ms statement at 10M.
          else {
            await client.query(`SET LOCAL jit = off`);
            // Every statement joins a few thousand logged rows to tables of millions. Priced on default
            // costs, ~10,000 index lookups looked dearer than one pass over the table, so the planner
            // hash- or merge-joined against full scans of decision, excerpt and prediction (the 23 s refresh
            // at 10M decisions; 28 s at 1M on a loaded machine). The cost must follow what changed, so full
            // scans and merge joins are priced out here (a small rollup with no other way in is still read
            // whole) and random reads priced as the cached reads they mostly are.
            await client.query(`SET LOCAL enable_seqscan = off`);
            await client.query(`SET LOCAL enable_mergejoin = off`);
            await client.query(`SET LOCAL random_page_cost = 1.1`);
          }
          for (const sql of isRebuild ? REBUILD : incremental(workspaceId)) {
            const at = performance.now();
            await client.query(sql);
            onStatement?.(sql.trim().split("\n")[0], performance.now() - at);
          }
          if (!isRebuild && workspaceId !== undefined) return;
          await client.query(
            `INSERT INTO dash_refresh (name, refreshed_at, duration_ms) SELECT name, now(), $2 FROM unnest($1::text[]) AS name
           ON CONFLICT (name) DO UPDATE SET refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms`,
            [ROLLUPS, Date.now() - started],
          );
        },
        { client, isolation: "repeatable read" },
      );
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${LOCK_ID})`);
    }
    return { refreshed: true, durationMs: Date.now() - started, rebuilt: isRebuild };
  } finally {
    client.release();
  }
}

/** Oldest refresh time across the rollups (what the page shows as "data as of"). */
export async function getDashboardFreshness(): Promise<string | null> {
  const { rows } = await getPool().query<{ at: Date | null }>(`SELECT min(refreshed_at) AS at FROM dash_refresh`);
  return rows[0]?.at ? rows[0].at.toISOString() : null;
}
