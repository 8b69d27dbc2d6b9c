import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { alphaFromCounts, pairKappasFromCounts } from "@/lib/dashboard/agreement-counts.ts";
import { ZDashboardFilters } from "./filters.ts";
import { getAgreement } from "./get-agreement.ts";
import { refreshDashboard } from "./refresh-dashboard.ts";

// The oracle: each rollup as the materialized views computed it from the raw tables (the definitions
// before the rollups became incremental), written out independently of refresh-dashboard.ts.
const STANDING = `d.kind = 'label' AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id)`;
const ORACLE: Record<string, string> = {
  dash_accuracy_daily: `
    SELECT d.workspace_id, (d.created_at AT TIME ZONE 'UTC')::date AS day, d.model_version_id, d.is_audit, e.game, e.channel, e.source,
           d.suggested_category_id, d.category_id, count(*)::int AS n
    FROM decision d JOIN excerpt e ON e.id = d.excerpt_id
    WHERE ${STANDING} AND d.suggested_category_id IS NOT NULL AND d.model_version_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
  dash_moderator_hourly: `
    SELECT d.workspace_id, date_trunc('hour', d.created_at AT TIME ZONE 'UTC') AS hour, d.user_id, count(*)::int AS n,
           count(*) FILTER (WHERE d.suggested_category_id IS NOT NULL AND d.category_id <> d.suggested_category_id)::int AS n_corrections
    FROM decision d WHERE ${STANDING} AND d.origin IN ('queue', 'review') GROUP BY 1, 2, 3`,
  dash_moderator_durations: `
    SELECT d.workspace_id, (d.created_at AT TIME ZONE 'UTC')::date AS day, d.user_id,
           width_bucket(coalesce(d.duration_ms, 0), ARRAY[500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000, 20000, 30000, 60000]) AS duration_bucket,
           count(*)::int AS n
    FROM decision d WHERE ${STANDING} AND d.origin IN ('queue', 'review') GROUP BY 1, 2, 3, 4`,
  dash_toxicity_daily: `
    SELECT e.workspace_id, (coalesce(e.occurred_at, e.created_at) AT TIME ZONE 'UTC')::date AS day, p.model_version_id, e.game, e.channel, e.source,
           least(width_bucket(p.toxic_score, 0, 1, 20), 20) AS score_bin, count(*)::int AS n,
           count(*) FILTER (WHERE e.current_category_id IS NOT NULL)::int AS n_labelled,
           count(*) FILTER (WHERE c.is_non_toxic = false)::int AS n_confirmed_toxic
    FROM prediction p JOIN excerpt e ON e.id = p.excerpt_id LEFT JOIN category c ON c.id = e.current_category_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7`,
};
const MULTI_RATED = `
  WITH standing AS (
    SELECT DISTINCT ON (d.excerpt_id, d.user_id) d.workspace_id, d.excerpt_id, d.user_id, d.category_id, d.created_at
    FROM decision d WHERE ${STANDING} AND d.origin IN ('queue', 'review')
    ORDER BY d.excerpt_id, d.user_id, d.id DESC
  )
  SELECT s.workspace_id, s.excerpt_id, s.user_id, s.category_id, (s.created_at AT TIME ZONE 'UTC')::date AS day, e.game, e.channel, e.source
  FROM standing s JOIN excerpt e ON e.id = s.excerpt_id
  WHERE s.excerpt_id IN (SELECT excerpt_id FROM standing GROUP BY excerpt_id HAVING count(*) >= 2)`;
ORACLE.dash_multi_rated = MULTI_RATED;
const PAIRS = `
  WITH m AS (${MULTI_RATED}), units AS (SELECT excerpt_id, count(*) AS raters, min(day) AS day FROM m GROUP BY excerpt_id)
  SELECT a.workspace_id, u.day, a.game, a.channel, a.source, a.user_id AS rater_a, b.user_id AS rater_b, a.category_id AS label_a, b.category_id AS label_b,
         count(*)::int AS n, sum(1.0 / (u.raters - 1)) AS w
  FROM m a JOIN m b ON b.excerpt_id = a.excerpt_id AND b.user_id <> a.user_id JOIN units u ON u.excerpt_id = a.excerpt_id
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
ORACLE.dash_agreement_pairs = `
  SELECT workspace_id, day, game, channel, source, rater_a, rater_b, label_a, label_b, n, round(w, 9)::float8 AS w FROM (${PAIRS}) p`;
ORACLE.dash_agreement_pairs_monthly = `
  SELECT workspace_id, make_date(extract(year FROM day)::int, extract(month FROM day)::int, 1) AS month, game, channel, source, rater_a, rater_b, label_a, label_b,
         sum(n)::int AS n, round(sum(w), 9)::float8 AS w
  FROM (${PAIRS}) p GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
ORACLE.dash_agreement_units = `
  WITH m AS (${MULTI_RATED})
  SELECT m.workspace_id, u.day, m.game, m.channel, m.source, u.raters::int AS raters, count(DISTINCT m.excerpt_id)::int AS n_units
  FROM m JOIN (SELECT excerpt_id, count(*) AS raters, min(day) AS day FROM m GROUP BY excerpt_id) u ON u.excerpt_id = m.excerpt_id
  GROUP BY 1, 2, 3, 4, 5, 6`;

/** What the rollup table holds, in the oracle's columns (w rounded: the incremental sum adds floats). */
function tableSql(name: string): string {
  if (name === "dash_agreement_pairs" || name === "dash_agreement_pairs_monthly") {
    const period = name === "dash_agreement_pairs" ? "day" : "month";
    return `SELECT workspace_id, ${period}, game, channel, source, rater_a, rater_b, label_a, label_b, n, round(w::numeric, 9)::float8 AS w FROM ${name}`;
  }
  return `SELECT * FROM ${name}`;
}

/** Rows in the rollup but not the oracle, and the other way round (empty both ways = equal). */
async function differences(): Promise<Record<string, { extra: number; missing: number; rows: number }>> {
  const out: Record<string, { extra: number; missing: number; rows: number }> = {};
  for (const [name, oracle] of Object.entries(ORACLE)) {
    const { rows } = await getPool().query<{ extra: number; missing: number; rows: number }>(
      `SELECT (SELECT count(*) FROM ((${tableSql(name)}) EXCEPT ALL (${oracle})) x)::int AS extra,
              (SELECT count(*) FROM ((${oracle}) EXCEPT ALL (${tableSql(name)})) x)::int AS missing,
              (SELECT count(*) FROM ${name})::int AS rows`,
    );
    out[name] = rows[0];
  }
  return out;
}

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
const EXCERPTS = 400;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await getPool().query(`
    INSERT INTO workspace (id, slug, name, flag_threshold) VALUES (1, 'default', 'Rollups', 0.5), (2, 'other', 'Other', 0.5);
    INSERT INTO category (id, workspace_id, name, sort_order, is_non_toxic, hotkey)
    SELECT ord, 1, name, ord, name = 'non-toxic', ord FROM unnest(ARRAY['profanity','harassment','hate','non-toxic']) WITH ORDINALITY AS t(name, ord);
    INSERT INTO app_user (id, email, name, password_hash, role) SELECT g, 'mod' || g || '@roll.test', 'Mod ' || g, 'x', 'moderator' FROM generate_series(1, 6) g;
    INSERT INTO model_version (id, workspace_id, version, kind, status, manifest, onnx, category_ids)
    VALUES (1, 1, 'v1', 'hashed-linear', 'archived', '{}', '\\x00', ARRAY[1,2,3,4]), (2, 1, 'v2', 'hashed-linear', 'active', '{}', '\\x00', ARRAY[1,2,3,4]);
    INSERT INTO excerpt (id, workspace_id, dedup_key, text, source, game, channel, occurred_at)
    SELECT g, 1, 'r' || g, 'line ' || g, (CASE WHEN g % 3 = 0 THEN 'voice' ELSE 'text' END)::"ExcerptSource",
           CASE WHEN g % 5 = 0 THEN NULL ELSE (ARRAY['moba','fps'])[1 + g % 2] END, 'ch-' || (g % 3),
           CASE WHEN g % 7 = 0 THEN NULL ELSE timestamptz '2026-11-01' + interval '1 hour' * (g % 90) END
    FROM generate_series(1, ${EXCERPTS}) g;
  `);
});
afterAll(() => testDb.drop());

describe("incremental dashboard rollups", () => {
  it("equal a full recomputation after every batch of a generated history (labels, overlaps, undo, adjudication, relabels, new models)", async () => {
    const random = seededRandom(14); // a failing history replays from its seed
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
    const pool = getPool();
    const labelIds: string[] = [];
    // from 27 October: the history crosses a month's end (the agreement pairs are also kept per month)
    const at = (day: number) => new Date(Date.UTC(2026, 9, 27 + day, Math.floor(random() * 24), Math.floor(random() * 60))).toISOString();

    // predictions of v1 for the first half before the first refresh (which builds from scratch)
    await pool.query(
      `INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
       SELECT g, 1, ARRAY[0.25,0.25,0.25,0.25]::real[], (hashint4(g) & 1023) / 1024.0, 1 + g % 4, 0.6 FROM generate_series(1, ${EXCERPTS / 2}) g`,
    );
    const first = await refreshDashboard();
    expect(first.rebuilt).toBe(true);

    for (let round = 0; round < 8; round++) {
      // new predictions: the rest of v1 in round 0, a new model version scoring a slice each round
      if (round === 0) {
        await pool.query(
          `INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
           SELECT g, 1, ARRAY[0.25,0.25,0.25,0.25]::real[], (hashint4(g) & 1023) / 1024.0, 1 + g % 4, 0.6 FROM generate_series(${EXCERPTS / 2 + 1}, ${EXCERPTS}) g`,
        );
      }
      await pool.query(
        `INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
         SELECT g, 2, ARRAY[0.25,0.25,0.25,0.25]::real[], (hashint4(g * 3) & 1023) / 1024.0, 1 + g % 3, 0.7
         FROM generate_series(${1 + round * 50}, ${50 + round * 50}) g`,
      );
      for (let i = 0; i < 60; i++) {
        const excerptId = 1 + Math.floor(random() * (round < 4 ? 120 : EXCERPTS)); // the first rounds overlap a lot
        const r = random();
        if (r < 0.15 && labelIds.length > 0) {
          // undo: usually a recent label (maybe from this same batch), sometimes an old one, sometimes twice
          const target = random() < 0.5 ? labelIds[labelIds.length - 1 - Math.floor(random() * Math.min(10, labelIds.length))]! : pick(labelIds);
          const { rows } = await pool.query<{ excerpt_id: string; user_id: number }>(`SELECT excerpt_id, user_id FROM decision WHERE id = $1`, [target]);
          await pool.query(`INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, reverses_id, created_at) VALUES (1, $1, $2, 'reversal', $3, $4)`, [
            rows[0].excerpt_id,
            rows[0].user_id,
            target,
            at(round + 1),
          ]);
        } else if (r < 0.2) {
          await pool.query(`INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, created_at) VALUES (1, $1, $2, 'skip', $3)`, [
            excerptId,
            1 + Math.floor(random() * 6),
            at(round),
          ]);
        } else {
          const origin = pick(["queue", "queue", "queue", "review", "adjudication", "import", "rereview"]);
          const hasSuggestion = random() < 0.8;
          const { rows } = await pool.query<{ id: string }>(
            `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, model_version_id, suggested_category_id, is_audit, duration_ms, created_at)
             VALUES (1, $1, $2, 'label', $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
            [
              excerptId,
              1 + Math.floor(random() * 6),
              origin,
              1 + Math.floor(random() * 4),
              hasSuggestion ? pick([1, 2]) : null,
              hasSuggestion ? 1 + Math.floor(random() * 4) : null,
              random() < 0.2,
              random() < 0.1 ? null : Math.floor(random() * 70_000),
              at(round + Math.floor(random() * 3)),
            ],
          );
          labelIds.push(rows[0].id);
        }
      }
      // the derived label moves with the decisions (several statements, some excerpts twice, back to NULL too)
      await pool.query(
        `UPDATE excerpt e SET current_category_id = (SELECT d.category_id FROM decision d
           WHERE d.excerpt_id = e.id AND d.kind = 'label' AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id) ORDER BY d.id DESC LIMIT 1)
         WHERE e.id IN (SELECT excerpt_id FROM decision)`,
      );
      await pool.query(`UPDATE excerpt SET current_category_id = 1 + (id + $1) % 4 WHERE id % 37 = $1`, [round]);
      if (round % 3 === 2) await pool.query(`UPDATE excerpt SET current_category_id = NULL WHERE id % 53 = $1`, [round]);

      const refreshed = await refreshDashboard();
      expect(refreshed.rebuilt).toBe(false);
      const diff = await differences();
      for (const [name, d] of Object.entries(diff)) expect({ round, name, extra: d.extra, missing: d.missing }).toEqual({ round, name, extra: 0, missing: 0 });
    }
    // the history exercised every rollup
    const diff = await differences();
    for (const [name, d] of Object.entries(diff)) expect(d.rows, name).toBeGreaterThan(0);
    const { rows } = await pool.query<{ reversed_old: number }>(
      `SELECT count(*)::int AS reversed_old FROM decision r JOIN decision d ON d.id = r.reverses_id WHERE r.kind = 'reversal' AND d.kind = 'label'`,
    );
    expect(rows[0].reversed_old).toBeGreaterThan(10);
    const { rows: months } = await pool.query<{ n: number }>(`SELECT count(DISTINCT month)::int AS n FROM dash_agreement_pairs_monthly`);
    expect(months[0].n).toBe(2);

    // a rebuild from scratch lands on the same rows
    const rebuilt = await refreshDashboard({ rebuild: true });
    expect(rebuilt.rebuilt).toBe(true);
    for (const [name, d] of Object.entries(await differences())) expect({ name, extra: d.extra, missing: d.missing }).toEqual({ name, extra: 0, missing: 0 });
  });

  it("the agreement report reads whole months by month and gives what the days alone give, for any range", async () => {
    await refreshDashboard();
    const pool = getPool();
    const fromDays = async (from?: string, to?: string, game?: string, source?: string) => {
      const { rows } = await pool.query<{ rater_a: number; rater_b: number; label_a: number; label_b: number; n: number; w: number }>(
        `SELECT rater_a, rater_b, label_a, label_b, sum(n)::int AS n, sum(w)::float8 AS w FROM dash_agreement_pairs
         WHERE workspace_id = 1 AND ($1::date IS NULL OR day >= $1) AND ($2::date IS NULL OR day <= $2)
           AND ($3::text IS NULL OR game = $3) AND ($4::text IS NULL OR source = $4::"ExcerptSource") GROUP BY 1, 2, 3, 4`,
        [from ?? null, to ?? null, game ?? null, source ?? null],
      );
      return rows.map((r) => ({ raterA: r.rater_a, raterB: r.rater_b, labelA: r.label_a, labelB: r.label_b, n: r.n, w: r.w }));
    };
    const ranges: [string | undefined, string | undefined, string?, string?][] = [
      [undefined, undefined],
      ["2026-10-01", "2026-11-30"], // two whole months
      ["2026-10-29", "2026-11-02"], // edges only
      ["2026-10-29", "2026-11-30"], // an edge and a month
      ["2026-11-01", undefined],
      [undefined, "2026-10-31"],
      ["2026-10-31", "2026-10-31"],
      ["2026-10-29", "2026-11-30", "moba"], // with the other filters, on both tables
      [undefined, undefined, "fps", "text"],
    ];
    for (const [from, to, game, source] of ranges) {
      const filters = ZDashboardFilters.parse({ from, to, game, source });
      const report = await getAgreement({ workspaceId: 1, filters });
      const days = await fromDays(from, to, game, source);
      const units = report.items;
      const expected = { pairs: pairKappasFromCounts(days), alpha: alphaFromCounts(days, { pairableUnits: units }) };
      expect(report.pairs.map(({ nameA: _a, nameB: _b, ...p }) => p)).toEqual(
        expected.pairs.map((p) => ({ ...p, kappa: p.kappa === null ? null : expect.closeTo(p.kappa, 9) })),
      );
      expect(report.alpha).toEqual(
        JSON.parse(JSON.stringify(expected.alpha), (_k, v) => (typeof v === "number" && !Number.isInteger(v) ? expect.closeTo(v, 9) : v)),
      );
    }
    // the whole range reads months: something is there to compare
    expect((await fromDays()).length).toBeGreaterThan(20);
  });

  it("a rollup added since the last refresh (a new migration's table) gets a rebuild on the next refresh", async () => {
    await refreshDashboard();
    const pool = getPool();
    // as after an upgrade during which older code refreshed without knowing the monthly pairs
    await pool.query(`DELETE FROM dash_refresh WHERE name = 'dash_agreement_pairs_monthly'`);
    await pool.query(`DELETE FROM dash_agreement_pairs_monthly WHERE month = (SELECT min(month) FROM dash_agreement_pairs_monthly)`);
    const next = await refreshDashboard({ force: false });
    expect(next.rebuilt).toBe(true);
    for (const [name, d] of Object.entries(await differences())) expect({ name, extra: d.extra, missing: d.missing }).toEqual({ name, extra: 0, missing: 0 });
    expect((await refreshDashboard()).rebuilt).toBe(false);
  });

  it("an incremental refresh touches only the changes: the log is emptied and a refresh with no changes writes nothing", async () => {
    await refreshDashboard();
    const pool = getPool();
    const { rows } = await pool.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM dash_pending_decision) + (SELECT count(*) FROM dash_pending_prediction) + (SELECT count(*) FROM dash_pending_label))::int AS n`,
    );
    expect(rows[0].n).toBe(0);
    const before = await pool.query(`SELECT n_tup_ins + n_tup_upd + n_tup_del AS writes FROM pg_stat_xact_user_tables WHERE relname = 'dash_accuracy_daily'`);
    expect(before.rows.length).toBeLessThanOrEqual(1);
    const snapshot = await pool.query(`SELECT * FROM dash_accuracy_daily ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
    await refreshDashboard();
    expect((await pool.query(`SELECT * FROM dash_accuracy_daily ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`)).rows).toEqual(snapshot.rows);
  });

  it("a refresh for one workspace applies only that workspace's changes; the rest wait for the next full refresh", async () => {
    const pool = getPool();
    await refreshDashboard();
    await pool.query(`INSERT INTO excerpt (id, workspace_id, dedup_key, text) VALUES (100001, 2, 'other-1', 'elsewhere')`);
    const label = (workspaceId: number, excerptId: number) =>
      pool.query(
        `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, created_at) VALUES ($1, $2, 1, 'label', 'queue', 1, '2026-12-01T10:00:00Z')`,
        [workspaceId, excerptId],
      );
    await label(1, 1);
    await label(2, 100001);
    const hourly = async () =>
      (
        await pool.query<{ workspace_id: number; n: number }>(
          `SELECT workspace_id, sum(n)::int AS n FROM dash_moderator_hourly WHERE hour = '2026-12-01T10:00:00' GROUP BY 1 ORDER BY 1`,
        )
      ).rows;
    const { rows: asOf } = await pool.query(`SELECT name, refreshed_at FROM dash_refresh ORDER BY name`);

    expect((await refreshDashboard({ workspaceId: 1 })).refreshed).toBe(true);
    expect(await hourly()).toEqual([{ workspace_id: 1, n: 1 }]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM dash_pending_decision`)).rows[0].n).toBe(1);
    // "data as of" speaks for every workspace: it stays until all are brought up to date
    expect((await pool.query(`SELECT name, refreshed_at FROM dash_refresh ORDER BY name`)).rows).toEqual(asOf);

    await refreshDashboard();
    expect(await hourly()).toEqual([
      { workspace_id: 1, n: 1 },
      { workspace_id: 2, n: 1 },
    ]);
    for (const [name, d] of Object.entries(await differences())) expect({ name, extra: d.extra, missing: d.missing }).toEqual({ name, extra: 0, missing: 0 });
  });

  it("a scheduled refresh waits out its duty cycle; a forced one does not", async () => {
    await refreshDashboard();
    expect((await refreshDashboard({ force: false })).refreshed).toBe(false);
    expect((await refreshDashboard({ force: true })).refreshed).toBe(true);
  });
});
