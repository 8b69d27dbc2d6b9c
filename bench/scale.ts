/**
 * Scale benchmark (issue 14): 10,000,000 excerpts and 10,000,000 decisions in its own PostgreSQL database.
 * bench/lib/scale-history.ts generates all but the last tenth of the excerpts by SQL (bulk load: indexes
 * rebuilt after); the last tenth goes through the app's importer (importExcerpts, CSV) into the full-size
 * tables with every index and trigger live, which gives ingest_rows_per_s. Then, all in-process (server
 * functions, no HTTP: bench/results/http.json covers that path):
 *   - the first claim and progress count on a cold connection pool, then 50 moderators (200 ms think time)
 *     claiming and deciding until 10,000 new decisions: claim/decide/progress p95;
 *   - the dashboard rollups brought up to date after those 10,000 decisions (rollup_refresh_s_after_10k_decisions),
 *     next to a full rebuild's time;
 *   - the excerpt search filter sets and every dashboard call, p95;
 *   - disk used per million excerpts (excerpt + prediction + queue_item with their indexes) and per
 *     million decisions.
 * Writes bench/results/scale.json (BENCH_SIZE=small: 50,000 excerpts and 300 new decisions, scale.small.json, for CI).
 *
 *   npx tsx bench/scale.ts [--excerpts N] [--keep] [--db NAME]   --keep leaves the database for a look at plans
 *   npx tsx bench/scale.ts --build-only --db NAME [--excerpts N]  generate + import only, and keep the database
 *   npx tsx bench/scale.ts --reuse NAME                           measure again on a kept database
 *
 * Building 10M takes about an hour on 2 cores, so the build and the measurement can be separated: a build
 * stores what it measured (generation times, the full rollup rebuild, ingest_rows_per_s) in the database's
 * own `bench_scale_build` table; --reuse applies any migrations added since (new indexes are built then),
 * runs ANALYZE, skips generation and ingest, takes the ingest figure from the build (marked so in
 * detail.ingest.from_build) and measures claim, refresh, search, dashboard and disk. Each reuse adds its
 * ~10,000 decisions to the kept database; it is never dropped by --reuse.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createReadStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createBenchDatabase, openBenchDatabase } from "./lib/bench-database.ts";
import { postgresSettings } from "./lib/postgres-settings.ts";
import { countExplained, explainedShare, isExplainedEnough, type TExplainedCount } from "./lib/queue-data.ts";
import { generateHistory, seedWorkspace, trainGeneratedModels, writeChatCsv } from "./lib/scale-history.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
// The production pool (MODLOOP_POOL_MAX unset: 10 connections), as bench/http.ts measures the web server:
// 50 moderators share it the way they share a web process. With one connection per moderator (52, this
// bench's setting until now) the 2 cores ran ~50 backends at once and the claim's tail was CPU
// scheduling between them (first claims on fresh connections 2-4 s, steady p95 25-60 ms); through the
// production pool the same load waits for a connection instead and the tail is shorter.
delete process.env.MODLOOP_POOL_MAX;
const { values: args } = parseArgs({
  options: { excerpts: { type: "string" }, keep: { type: "boolean" }, db: { type: "string" }, reuse: { type: "string" }, "build-only": { type: "boolean" } },
});
const isSmall = process.env.BENCH_SIZE === "small";
const reuse = args.reuse;
const buildOnly = args["build-only"] === true;
if (reuse && buildOnly) throw new Error("scale bench: --reuse and --build-only do not go together");
const excerpts = Number(args.excerpts ?? (isSmall ? 50_000 : 10_000_000));
const imported = Math.round(excerpts / 10); // through the importer, into the full-size tables
const generated = excerpts - imported;
// 80% of the generated excerpts labelled, a quarter of those twice: 10M decisions at 10M excerpts
const labelled = Math.round(generated * (8 / 9));
const overlapEvery = 4;
const newDecisions = isSmall ? 300 : 10_000;
const moderators = isSmall ? 10 : 50;
const thinkMs = 200;
const iterations = isSmall ? 4 : 40;
const warmupSeconds = isSmall ? 1 : 20;
const WS = 1;

// Figures are also written as each phase ends (bench/results/scale.partial.json): a 10M run takes hours on
// a shared machine, and what it measured before an interruption is still worth having.
const partial: Record<string, unknown> = {};
const note = async (figures: Record<string, unknown>) => {
  Object.assign(partial, figures, { at: new Date().toISOString(), load: os.loadavg().map((x) => Math.round(x * 10) / 10) });
  await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
  await writeFile(path.join(ROOT, "bench/results", isSmall ? "scale.partial.small.json" : "scale.partial.json"), JSON.stringify(partial, null, 2) + "\n");
};
const log = (line: string) => console.log(`[scale ${new Date().toISOString().slice(11, 19)}] ${line}`);
const round1 = (x: number) => Math.round(x * 10) / 10;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const loadavg = () => os.loadavg().map((x) => round1(x));
const machine: Record<string, unknown> = { cpus: os.cpus().length, mem_gb: Math.round(os.totalmem() / 2 ** 30), load_at_start: loadavg() };

const dbName = reuse ?? args.db ?? `modloop_bench_scale_${isSmall ? "small" : "full"}`;
const db = reuse ? await openBenchDatabase(reuse) : await createBenchDatabase(dbName);
const c = new pg.Client({ connectionString: db.url });
await c.connect();
const { refreshDashboard } = await import("../server/dashboard/refresh-dashboard.ts");
const { closePools } = await import("../server/db/pool.ts");
let t = performance.now();

type TBuild = {
  excerpts: number;
  generated: number;
  imported: number;
  generate_seconds: Record<string, number>;
  rollup_full_rebuild_s: number;
  ingest_rows_per_s: number;
  ingest_seconds: number;
  load_avg_before_ingest: number[];
  summary: unknown;
  at: string;
};
let build: TBuild;
if (reuse) {
  const row = (await c.query<{ figures: TBuild }>(`SELECT figures FROM bench_scale_build ORDER BY at DESC LIMIT 1`).catch(() => ({ rows: [] }))).rows[0];
  if (!row) throw new Error(`scale bench: ${reuse} has no bench_scale_build row; build it with --build-only --db ${reuse}`);
  build = row.figures;
  log(`reusing ${reuse}: built ${build.at} with ${build.excerpts.toLocaleString()} excerpts, ingest ${build.ingest_rows_per_s} rows/s then`);
  t = performance.now();
  await c.query("ANALYZE");
  log(`ANALYZE in ${round1((performance.now() - t) / 1000)} s`);
  // rollups as the current code keeps them: incremental from the decision log, so bring them up to date first
  await refreshDashboard();
} else {
  // ---------- generate ----------
  log(`generating ${generated.toLocaleString()} excerpts (${labelled.toLocaleString()} labelled, every ${overlapEvery}th twice) …`);
  const t0 = performance.now();
  await seedWorkspace(c);
  const generateSeconds = await generateHistory(c, { excerpts: generated, labelled, overlapEvery, log });
  log(`generated in ${round1((performance.now() - t0) / 1000)} s: ${JSON.stringify(generateSeconds)}`);
  await note({ excerpts_generated: generated, generate_seconds: generateSeconds });

  t = performance.now();
  await refreshDashboard({ rebuild: true });
  const rebuildSeconds = (performance.now() - t) / 1000;
  log(`rollups rebuilt from scratch in ${round1(rebuildSeconds)} s`);
  await note({ rollup_full_rebuild_s: round1(rebuildSeconds) });

  // ---------- ingest the last tenth through the importer ----------
  await mkdir(path.join(ROOT, "bench/tmp"), { recursive: true });
  const csv = path.join(ROOT, `bench/tmp/scale-${imported}.csv`);
  await writeChatCsv(csv, imported);
  const { importExcerpts } = await import("../server/ingest/import-excerpts.ts");
  log(`importing ${imported.toLocaleString()} rows into ${generated.toLocaleString()} …`);
  const loadBeforeIngest = loadavg();
  t = performance.now();
  const summary = await importExcerpts({
    workspaceId: WS,
    userId: 1,
    input: createReadStream(csv, { highWaterMark: 256 * 1024 }),
    format: "csv",
    filename: path.basename(csv),
    labelMap: { toxic: "harassment", clean: "non-toxic" },
  });
  const ingestSeconds = (performance.now() - t) / 1000;
  const ingestRowsPerS = Math.round(imported / ingestSeconds);
  await rm(csv, { force: true });
  log(`imported in ${round1(ingestSeconds)} s: ${ingestRowsPerS.toLocaleString()} rows/s (${JSON.stringify(summary).slice(0, 200)})`);
  await note({ ingest_rows_per_s: ingestRowsPerS, ingest: { rows: imported, seconds: round1(ingestSeconds), load_avg_before: loadBeforeIngest, summary } });
  await refreshDashboard();
  build = {
    excerpts,
    generated,
    imported,
    generate_seconds: generateSeconds,
    rollup_full_rebuild_s: round1(rebuildSeconds),
    ingest_rows_per_s: ingestRowsPerS,
    ingest_seconds: round1(ingestSeconds),
    load_avg_before_ingest: loadBeforeIngest,
    summary,
    at: new Date().toISOString(),
  };
  await c.query(`CREATE TABLE IF NOT EXISTS bench_scale_build (at timestamptz PRIMARY KEY DEFAULT now(), figures jsonb NOT NULL)`);
  await c.query(`INSERT INTO bench_scale_build (figures) VALUES ($1)`, [JSON.stringify(build)]);
  if (buildOnly) {
    await c.end();
    await closePools();
    log(`built ${dbName} and kept it; measure with: npx tsx bench/scale.ts --reuse ${dbName}`);
    process.exit(0);
  }
}
const ingestRowsPerS = build.ingest_rows_per_s;

const counts = (
  await c.query<{ e: number; d: number; p: number; q: number }>(
    `SELECT (SELECT count(*) FROM excerpt)::int e, (SELECT count(*) FROM decision)::int d, (SELECT count(*) FROM prediction)::int p,
            (SELECT count(*) FROM queue_item WHERE is_open)::int q`,
  )
).rows[0];
log(`tables: ${JSON.stringify(counts)}`);
if (counts.e < build.excerpts * 0.99) throw new Error(`scale bench: only ${counts.e} excerpts landed`);

if (await trainGeneratedModels(c)) log("trained the generated model versions' weights (claims explain their cards with them)");

// ---------- queue: cold first claim, then 50 moderators until 10,000 new decisions ----------
const { claimItems } = await import("../server/queue/claim-items.ts");
const { decideAsQueuePage } = await import("./lib/keyed-decision.ts");
const { undoLastDecision } = await import("../server/queue/undo-last-decision.ts");
const { getProgress } = await import("../server/queue/get-progress.ts");
// the queue's admission gate, as the claim/decide/undo/progress routes take it before their work
// (server/queue/queue-gate.ts): each figure below includes the wait for a slot, as a moderator's would
const gate = (await import("../server/queue/queue-gate.ts")).queueGate();
await closePools(); // a cold pool: the first claim pays connect + plan, as after a deploy
await c.query("DISCARD ALL");
t = performance.now();
const firstCards = await claimItems({ workspaceId: WS, userId: 60 });
const firstClaimMs = performance.now() - t;
t = performance.now();
const firstProgress = await getProgress({ workspaceId: WS, userId: 60 });
const firstProgressMs = performance.now() - t;
if (!firstCards.every((card) => card.explanation)) throw new Error("scale bench: the first claim's cards came without word highlights");
if (firstCards.length === 0 || firstProgress.remaining !== counts.q) {
  throw new Error(`scale bench: first claim got ${firstCards.length} cards; progress says ${firstProgress.remaining} open, the table ${counts.q}`);
}
await note({ counts, first_claim_ms: round1(firstClaimMs), first_progress_ms: round1(firstProgressMs) });
log(`first claim ${round1(firstClaimMs)} ms, first progress ${round1(firstProgressMs)} ms (${firstProgress.remaining.toLocaleString()} open)`);

type TQueueRun = { claimMs: number[]; decideMs: number[]; progressMs: number[]; decided: number; undone: number; explained: TExplainedCount };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** 50 moderators claiming and deciding (think time between decisions) until `until()` says stop */
async function moderate(until: (run: TQueueRun) => boolean): Promise<TQueueRun> {
  const run: TQueueRun = { claimMs: [], decideMs: [], progressMs: [], decided: 0, undone: 0, explained: { cards: 0, explained: 0 } };
  await Promise.all(
    Array.from({ length: moderators }, async (_, m) => {
      const userId = 1 + m;
      await sleep(Math.random() * thinkMs);
      while (!until(run)) {
        let s = performance.now();
        const cards = await gate.run(() => claimItems({ workspaceId: WS, userId }));
        run.claimMs.push(performance.now() - s);
        countExplained(run.explained, cards);
        if (cards.length === 0) break;
        for (const card of cards) {
          if (until(run)) break;
          await sleep(thinkMs);
          s = performance.now();
          // keyed, as the queue page's decisions are (bench/lib/keyed-decision.ts)
          await gate.run(() =>
            decideAsQueuePage({
              workspaceId: WS,
              userId,
              excerptId: card.excerptId,
              kind: "label",
              categoryId: 1 + Math.floor(Math.random() * 6),
              durationMs: 900,
            }),
          );
          run.decideMs.push(performance.now() - s);
          run.decided++;
          if (Math.random() < 0.02) {
            // refused (CONFLICT) when another moderator has meanwhile taken the item: a real outcome, not counted
            const isUndone = await gate
              .run(() => undoLastDecision({ workspaceId: WS, userId }))
              .then(
                () => true,
                () => false,
              );
            if (isUndone) {
              run.undone++;
              run.decided++;
            }
          }
          s = performance.now();
          await gate.run(() => getProgress({ workspaceId: WS, userId }));
          run.progressMs.push(performance.now() - s);
        }
      }
    }),
  );
  return run;
}

// Warm-up, not measured (as in bench/queue.ts): each new server connection pays once for its catalog
// caches and for planning the queue statements (custom plans for its first five executions of each), and
// PostgreSQL's buffers take in the queue's working set, all of which a running app has long done. On the
// 10M database the server-side claims slower than 15 ms all fell in the first ~15 s after a fresh pool
// (PostgreSQL log), hence 20 s. The cold first claim is measured above; the warm-up's figures are kept.
// This machine runs PostgreSQL with autovacuum off (as CI does); a deployment has it on, and queue_item is
// set to be vacuumed every 10,000 changed rows (migration 20261206210000): the claim walks the top of the
// priority index, where every decided item leaves a dead entry until a vacuum. So the bench does what
// autovacuum would: vacuum queue_item before the warm-up and again before the measured run (which adds
// ~10,000 more changes: about when the next autovacuum would come, so the run ends at its dirtiest).
const vacuumQueue = async () => {
  const s = performance.now();
  await c.query("VACUUM queue_item");
  return round1((performance.now() - s) / 1000);
};
const vacuumSeconds = [await vacuumQueue()];
const warmupStart = performance.now();
const warmup = await moderate(() => performance.now() - warmupStart > warmupSeconds * 1000);
log(`warm-up: ${warmup.decided} decisions in ${warmupSeconds} s (claim p95 ${round1(percentile(warmup.claimMs, 95))} ms, not counted)`);

vacuumSeconds.push(await vacuumQueue());
const decisionsBefore = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM decision WHERE kind IN ('label', 'reversal')`)).rows[0].n;
const loadStart = performance.now();
const measured = await moderate((run) => run.decided >= newDecisions);
const { claimMs, decideMs, progressMs, undone } = measured;
const loadSeconds = (performance.now() - loadStart) / 1000;
const decisionsAfter = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM decision WHERE kind IN ('label', 'reversal')`)).rows[0].n;
log(
  `${moderators} moderators: ${decisionsAfter - decisionsBefore} decisions (${undone} undos) in ${round1(loadSeconds)} s; claim p95 ${round1(percentile(claimMs, 95))} ms, decide p95 ${round1(percentile(decideMs, 95))} ms, progress p95 ${round1(percentile(progressMs, 95))} ms`,
);

await note({
  claim_p95_ms: round1(percentile(claimMs, 95)),
  decide_p95_ms: round1(percentile(decideMs, 95)),
  progress_p95_ms: round1(percentile(progressMs, 95)),
  load_seconds: round1(loadSeconds),
});

// ---------- rollups after those decisions ----------
const pending = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM dash_pending_decision`)).rows[0].n;
const refreshStatements: { sql: string; ms: number }[] = [];
t = performance.now();
const refreshed = await refreshDashboard({ onStatement: (sql, ms) => refreshStatements.push({ sql: sql.slice(0, 100), ms: round1(ms) }) });
const refreshSeconds = (performance.now() - t) / 1000;
if (refreshed.rebuilt || !refreshed.refreshed) throw new Error("scale bench: expected an incremental refresh");
await note({ rollup_refresh_s_after_10k_decisions: Math.round(refreshSeconds * 100) / 100, logged_decisions_applied: pending });
log(`rollups brought up to date after ${pending.toLocaleString()} logged decisions in ${round1(refreshSeconds)} s`);

// ---------- search and dashboard ----------
const { searchExcerpts, ZExcerptSearch } = await import("../server/excerpts/search-excerpts.ts");
const SEARCHES: Record<string, Record<string, string>> = {
  newest: {},
  common_word: { q: "gg" },
  mid_word: { q: "smoke" },
  rare_word: { q: "uninstall" },
  needle_word: { q: "zerglings" },
  two_words: { q: "noob report" },
  labelled_category: { status: "labelled", categoryId: "3" },
  unlabelled_high_score: { status: "unlabelled", minScore: "0.9" },
  score_band: { minScore: "0.45", maxScore: "0.55" },
  word_and_score: { q: "smoke", minScore: "0.8" },
  voice_in_september: { source: "voice", from: "2026-09-01", to: "2026-09-30" },
  word_in_a_week: { q: "noob", from: "2026-10-01", to: "2026-10-08" },
};
const searchP95: Record<string, number> = {};
const allSearch: number[] = [];
for (const [name, filters] of Object.entries(SEARCHES)) {
  const parsed = ZExcerptSearch.parse(filters);
  const first = await searchExcerpts({ workspaceId: WS, activeModelVersionId: 2, filters: parsed });
  if (name !== "needle_word" && first.rows.length === 0) throw new Error(`scale bench: search ${name} found nothing`);
  const times: number[] = [];
  for (let i = 0; i < Math.ceil(iterations / 2); i++) {
    const s = performance.now();
    await searchExcerpts({ workspaceId: WS, activeModelVersionId: 2, filters: parsed });
    times.push(performance.now() - s);
  }
  searchP95[name] = round1(percentile(times, 95));
  allSearch.push(...times);
}
await note({ search_p95_ms: round1(percentile(allSearch, 95)), search_detail: searchP95 });
log(`search p95 ${round1(percentile(allSearch, 95))} ms: ${JSON.stringify(searchP95)}`);

const { ZDashboardFilters } = await import("../server/dashboard/filters.ts");
const { getAccuracy } = await import("../server/dashboard/get-accuracy.ts");
const { getToxicity } = await import("../server/dashboard/get-toxicity.ts");
const { getTeam } = await import("../server/dashboard/get-team.ts");
const { getAgreement } = await import("../server/dashboard/get-agreement.ts");
const { listCellExcerpts } = await import("../server/dashboard/list-cell-excerpts.ts");
const { getFilterOptions } = await import("../server/dashboard/get-filter-options.ts");
const filterSets = [
  {},
  { granularity: "week" },
  { slice: "all" },
  { game: "moba" },
  { source: "voice" },
  { from: "2026-09-01", to: "2026-09-30" },
  { modelVersionId: "2" },
  { categoryId: "2", channel: "ch-3" },
].map((f) => ZDashboardFilters.parse(f));
const dashboardCalls: Record<string, (f: (typeof filterSets)[number]) => Promise<unknown>> = {
  accuracy: (filters) => getAccuracy({ workspaceId: WS, filters }),
  toxicity: (filters) => getToxicity({ workspaceId: WS, filters }),
  team: (filters) => getTeam({ workspaceId: WS, filters }),
  agreement: (filters) => getAgreement({ workspaceId: WS, filters }),
  cell: (filters) => listCellExcerpts({ workspaceId: WS, filters, suggestedCategoryId: 6, categoryId: 2 }),
  options: () => getFilterOptions({ workspaceId: WS }),
};
const check = (await getAccuracy({ workspaceId: WS, filters: filterSets[0] })) as { totals: { labels: number } };
const agreement = (await getAgreement({ workspaceId: WS, filters: filterSets[0] })) as { items: number };
if (check.totals.labels === 0 || agreement.items === 0) throw new Error("scale bench: the dashboard came back empty");
const dashboardP95: Record<string, number> = {};
const allDashboard: number[] = [];
for (const [name, call] of Object.entries(dashboardCalls)) {
  await call(filterSets[0]);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const s = performance.now();
    await call(filterSets[i % filterSets.length]);
    times.push(performance.now() - s);
  }
  dashboardP95[name] = round1(percentile(times, 95));
  allDashboard.push(...times);
}
await note({ dashboard_p95_ms: round1(percentile(allDashboard, 95)), dashboard_detail: dashboardP95 });
log(`dashboard p95 ${round1(percentile(allDashboard, 95))} ms: ${JSON.stringify(dashboardP95)}`);

// ---------- disk ----------
const sizes = (
  await c.query<{ name: string; mb: number }>(
    `SELECT relname AS name, round(pg_total_relation_size(oid) / 1048576.0, 1)::float8 AS mb FROM pg_class
     WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND pg_total_relation_size(oid) > 1048576 ORDER BY 2 DESC`,
  )
).rows;
const mb = (name: string) => sizes.find((s) => s.name === name)?.mb ?? 0;
const databaseMb = Number(
  (await c.query<{ mb: string }>(`SELECT round(pg_database_size(current_database()) / 1048576.0) AS mb FROM pg_database LIMIT 1`)).rows[0].mb,
);
const perMillionExcerpts = ((mb("excerpt") + mb("prediction") + mb("queue_item")) / counts.e) * 1e6;
const perMillionDecisions = (mb("decision") / decisionsAfter) * 1e6;
log(`disk: ${Math.round(perMillionExcerpts)} MB per million excerpts, ${Math.round(perMillionDecisions)} MB per million decisions, database ${databaseMb} MB`);
const postgres = await postgresSettings(c);
await c.end();
await closePools();

const targets = {
  ingest_rows_per_s: 30_000,
  claim_p95_ms: 20,
  search_p95_ms: 100,
  dashboard_p95_ms: 300,
  rollup_refresh_s_after_10k_decisions: 5,
};
const out = {
  benchmark: "scale",
  size: isSmall ? "small" : "full",
  excerpts: counts.e,
  decisions: decisionsAfter,
  predictions: counts.p,
  open_queue_items: counts.q,
  ingest_rows_per_s: ingestRowsPerS,
  claim_p95_ms: round1(percentile(claimMs, 95)),
  search_p95_ms: round1(percentile(allSearch, 95)),
  dashboard_p95_ms: round1(percentile(allDashboard, 95)),
  rollup_refresh_s_after_10k_decisions: Math.round(refreshSeconds * 100) / 100,
  disk_mb_per_million_excerpts: Math.round(perMillionExcerpts),
  targets,
  meets_targets:
    ingestRowsPerS >= targets.ingest_rows_per_s &&
    percentile(claimMs, 95) <= targets.claim_p95_ms &&
    percentile(allSearch, 95) <= targets.search_p95_ms &&
    percentile(allDashboard, 95) <= targets.dashboard_p95_ms &&
    refreshSeconds <= targets.rollup_refresh_s_after_10k_decisions &&
    isExplainedEnough(measured.explained),
  detail: {
    ingest: {
      rows: build.imported,
      into_existing_excerpts: build.generated,
      seconds: build.ingest_seconds,
      load_avg_before: build.load_avg_before_ingest,
      summary: build.summary,
      from_build: reuse ? { database: reuse, at: build.at } : undefined,
    },
    queue: {
      moderators,
      think_ms: thinkMs,
      new_decisions: decisionsAfter - decisionsBefore,
      undos: undone,
      seconds: round1(loadSeconds),
      warmup: {
        seconds: warmupSeconds,
        decisions: warmup.decided,
        claim_p95_ms: round1(percentile(warmup.claimMs, 95)),
        claim_max_ms: round1(Math.max(...warmup.claimMs)),
      },
      first_claim_ms: round1(firstClaimMs),
      first_progress_ms: round1(firstProgressMs),
      claim_p50_ms: round1(percentile(claimMs, 50)),
      claim_p99_ms: round1(percentile(claimMs, 99)),
      decide_p50_ms: round1(percentile(decideMs, 50)),
      decide_p95_ms: round1(percentile(decideMs, 95)),
      progress_p95_ms: round1(percentile(progressMs, 95)),
      claims: claimMs.length,
      // each claim explains its cards with the model that suggested them (word highlights), as the app does
      claimed_cards: measured.explained.cards,
      claimed_cards_explained_share: explainedShare(measured.explained),
    },
    rollups: {
      logged_decisions_applied: pending,
      refresh_s: Math.round(refreshSeconds * 100) / 100,
      full_rebuild_s: build.rollup_full_rebuild_s,
      slowest_refresh_statements: [...refreshStatements].sort((a, b) => b.ms - a.ms).slice(0, 5),
    },
    search_p95_ms: searchP95,
    dashboard_p95_ms: dashboardP95,
    disk: {
      database_mb: databaseMb,
      mb_per_million_decisions: Math.round(perMillionDecisions),
      tables_mb: Object.fromEntries(sizes.map((s) => [s.name, s.mb])),
    },
    generate_seconds: build.generate_seconds,
  },
  measured: `server functions in-process (no HTTP), one process, claims explained with word highlights (the generated model versions trained once on the history's labels; claimed_cards_explained_share), each queue call through the queue's admission gate as its route takes it (${gate.limit} at once: server/queue/queue-gate.ts) on the production pool; generated data (bench/lib/scale-history.ts), the last tenth imported through importExcerpts`,
  machine: { ...machine, load_at_end: loadavg(), node: process.version },
  postgres: postgres,
  at: new Date().toISOString(),
};
await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
const file = path.join(ROOT, "bench/results", isSmall ? "scale.small.json" : "scale.json");
await writeFile(file, JSON.stringify(out, null, 2) + "\n");
await rm(path.join(ROOT, "bench/results", isSmall ? "scale.partial.small.json" : "scale.partial.json"), { force: true });
log(`wrote ${path.relative(ROOT, file)}`);
if (!args.keep && !reuse) await db.drop();
if (!isExplainedEnough(measured.explained)) {
  // (scale.json says so too: meets_targets false, claimed_cards_explained_share)
  console.error(`FAILED: only ${measured.explained.explained} of ${measured.explained.cards} claimed cards were explained`);
  process.exitCode = 1;
}
