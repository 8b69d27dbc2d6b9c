/**
 * The review queue over the real HTTP path (issue 14): the production build (`next build` + the web server `npm start` runs, scripts/web.ts
 * with DATABASE_URL) on its own PostgreSQL database with 1,000,000 queued excerpts (BENCH_SIZE=small →
 * 10,000), load from a SEPARATE process (bench/lib/app-load.ts, raw keep-alive sockets).
 *
 *   http_claim_p95_ms, http_decide_p95_ms   50 moderators, each with its own session, claim → decide
 *                                           every card after 0.5–1.5 × 200 ms of think time     (≤ 20)
 *   http_saturation_ratio                   decisions/s over HTTP with no think time ÷ the same loop
 *                                           in-process (bench/queue.ts's saturation phase: the server
 *                                           functions called directly), measured back to back   (≥ 0.6)
 *   api_overhead_ratio                      req/s of the app's categories route ÷ a minimal Next.js route
 *                                           doing the same lookup + query with pg (bench/next-floor) (≥ 0.8)
 *   framework_floor_ratio                   that minimal route ÷ a bare node:http + pg server (reported)
 *   first_card_p95_ms                       Chromium, in the page: from the sign-in click event until the excerpt's text
 *                                           was painted (Element Timing), a fresh browser context each sample (≤ 300)
 * Ratios are medians of interleaved short runs (the shared machine's load changes by the minute).
 * Afterwards every acknowledged decision must be stored and no item handed to two moderators at once.
 *
 * Writes bench/results/http.json (BENCH_SIZE=small → http.small.json, correctness only).
 *   npx tsx bench/http.ts [--excerpts N] [--moderators N] [--seconds N] [--think-ms N] [--samples N] [--pairs N] [--pair-seconds N] [--keep-db]
 *   BENCH_CPU_PROF=<dir> writes a CPU profile of the web process during the run (bench/http-profile.md).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createBenchDatabase } from "./lib/bench-database.ts";
import { FIRST_CARD_STEPS, firstCard } from "./lib/first-card.ts";
import type { TAppLoadConfig, TGetResult, TModeratorsResult } from "./lib/app-load.ts";
import { ensureNextBuild, startAppServer, startNextServer, startNodeServer, type TServer } from "./lib/next-server.ts";
import { postgresSettings } from "./lib/postgres-settings.ts";
import { countExplained, explainedShare, generateQueueData, isExplainedEnough, type TExplainedCount } from "./lib/queue-data.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const isSmall = process.env.BENCH_SIZE === "small";
const { values: args } = parseArgs({
  options: {
    excerpts: { type: "string" },
    moderators: { type: "string" },
    seconds: { type: "string" },
    "think-ms": { type: "string" },
    samples: { type: "string" },
    pairs: { type: "string" },
    "pair-seconds": { type: "string" },
    "keep-db": { type: "boolean", default: false },
  },
});
const EXCERPTS = Number(args.excerpts ?? (isSmall ? 10_000 : 1_000_000));
const MODERATORS = Number(args.moderators ?? (isSmall ? 5 : 50));
const SECONDS = Number(args.seconds ?? (isSmall ? 4 : 30));
const THINK_MS = Number(args["think-ms"] ?? 200);
const SATURATION_SECONDS = isSmall ? 2 : 12;
const FIRST_CARD_SAMPLES = Number(args.samples ?? (isSmall ? 2 : 20));
// the categories route: interleaved floor / app / bare runs of this many seconds, this many times
const RATIO_PAIRS = Number(args.pairs ?? (isSmall ? 1 : 3));
const PAIR_SECONDS = Number(args["pair-seconds"] ?? (isSmall ? 2 : 6));
const GET_CONNECTIONS = 20;
/** the pause between the load runs and the first-card samples, after a CHECKPOINT */
const FIRST_CARD_SETTLE_MS = 10_000;
// BENCH_PORT and the two after it: runs by different people on one machine each get their own three
const APP_PORT = Number(process.env.BENCH_PORT ?? 3650);
const PORTS = { app: APP_PORT, floor: APP_PORT + 1, bare: APP_PORT + 2 };
const PASSWORD = "bench-http-password-1";
const TARGETS = { http_claim_p95_ms: 20, http_decide_p95_ms: 20, http_saturation_ratio: 0.6, api_overhead_ratio: 0.8, first_card_p95_ms: 300 };

const log = (m: string) => console.log(`[http] ${m}`);
const round2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const load1 = () => round2(os.loadavg()[0]);
// CPU time a process has used (user + system), from /proc: a per-request cost that, unlike requests/s,
// hardly moves with what else the shared machine is running
const CLOCK_TICK_MS = 10;
async function cpuMs(pid: number | undefined): Promise<number> {
  if (!pid) return NaN;
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
}

const apiPath = (slug: string, rest: string) => `/api/w/${slug}/${rest}`;

let tmp = "";
async function runLoad<T>(config: TAppLoadConfig): Promise<T> {
  const file = path.join(tmp, `load-${randomBytes(4).toString("hex")}.json`);
  await writeFile(file, JSON.stringify(config));
  const child = spawn(process.execPath, ["--import", "tsx", "bench/lib/app-load.ts", file], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`the load process exited with ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as T;
}

/** The in-process figure of record: bench/queue.ts's saturation loop, the server functions called directly (the decision keyed, as over HTTP). */
async function inProcessSaturation(
  workspaceId: number,
  userIds: number[],
  categoryIds: number[],
  seconds: number,
): Promise<{ decisions: number; decisions_per_s: number; acked: string[]; explained: TExplainedCount }> {
  const { claimItems } = await import("../server/queue/claim-items.ts");
  const { decideAsQueuePage: decide } = await import("./lib/keyed-decision.ts");
  const { getPool } = await import("../server/db/pool.ts");
  const warm = await Promise.all(userIds.map(() => getPool().connect()));
  for (const c of warm) c.release();
  const acked: string[] = [];
  const explained: TExplainedCount = { cards: 0, explained: 0 };
  const deadline = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    userIds.map(async (userId) => {
      while (Date.now() < deadline) {
        const cards = await claimItems({ workspaceId, userId });
        countExplained(explained, cards);
        if (cards.length === 0) await new Promise((r) => setTimeout(r, 20));
        for (const card of cards) {
          if (Date.now() >= deadline) break;
          const isSkip = Math.random() < 0.05;
          const result = isSkip
            ? await decide({ workspaceId, userId, excerptId: card.excerptId, kind: "skip", durationMs: 900 })
            : await decide({
                workspaceId,
                userId,
                excerptId: card.excerptId,
                kind: "label",
                categoryId: Math.random() < 0.8 && card.suggestion ? card.suggestion.categoryId : categoryIds[Math.floor(Math.random() * categoryIds.length)],
                durationMs: 1800,
              });
          acked.push(result.decisionId);
        }
      }
    }),
  );
  const runSeconds = (performance.now() - started) / 1000;
  return { decisions: acked.length, decisions_per_s: round2(acked.length / runSeconds), acked, explained };
}

async function main() {
  tmp = await mkdtemp(path.join(os.tmpdir(), "modloop-http-bench-"));
  const loadAtStart = load1();
  const bench = await createBenchDatabase(`modloop_bench_http_${randomBytes(3).toString("hex")}`);
  const servers: TServer[] = [];
  const client = new pg.Client({ connectionString: bench.url });
  await client.connect();
  try {
    log(`generating ${EXCERPTS.toLocaleString()} queued excerpts (machine load ${loadAtStart})`);
    const genStart = performance.now();
    // one more browser user than samples: the first sign-in warms the server's sign-in path (reported apart)
    const data = await generateQueueData(client, { excerpts: EXCERPTS, moderators: MODERATORS + FIRST_CARD_SAMPLES + 1 });
    const moderatorIds = data.userIds.slice(0, MODERATORS);
    const browserUserIds = data.userIds.slice(MODERATORS);
    const { hashPassword } = await import("../server/auth/password.ts");
    await client.query(`UPDATE app_user SET password_hash = $2 WHERE id = ANY ($1::int[])`, [browserUserIds, await hashPassword(PASSWORD)]);
    const { rows: emails } = await client.query<{ email: string }>(`SELECT email FROM app_user WHERE id = ANY ($1::int[]) ORDER BY id`, [browserUserIds]);
    // one session per simulated moderator, as a sign-in makes it (only the token's hash is stored)
    const { hashSessionToken } = await import("../server/auth/session.ts");
    const tokens = moderatorIds.map(() => randomBytes(32).toString("base64url"));
    await client.query(`INSERT INTO session (id, user_id, expires_at) SELECT unnest($1::text[]), unnest($2::int[]), now() + interval '12 hours'`, [
      tokens.map(hashSessionToken),
      moderatorIds,
    ]);
    const cookies = tokens.map((t) => `modloop_session=${t}`);
    await client.query("VACUUM ANALYZE");
    const { rows: slugRows } = await client.query<{ slug: string }>(`SELECT slug FROM workspace WHERE id = $1`, [data.workspaceId]);
    const slug = slugRows[0].slug;
    log(`generated in ${((performance.now() - genStart) / 1000).toFixed(1)} s`);

    // the production default pool (MODLOOP_POOL_MAX unset: 10): the web process was CPU-bound, not waiting for connections
    const serverPoolMax = "10 (default)";
    const serverEnv = { DATABASE_URL: bench.url, MODLOOP_INPROCESS_WORKER: "0" };
    await ensureNextBuild(
      ".",
      [
        "app",
        "components",
        "lib",
        "server",
        "public",
        "next.config.js",
        "postcss.config.mjs",
        "tsconfig.json",
        "package.json",
        "proxy.ts",
        "instrumentation.ts",
      ],
      serverEnv,
    );
    await ensureNextBuild("bench/next-floor", ["bench/next-floor"], serverEnv);
    const profileArgs = process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(process.env.BENCH_CPU_PROF)] : [];
    const app = await startAppServer(PORTS.app, serverEnv, "app", profileArgs);
    servers.push(app);
    const floor = await startNextServer("bench/next-floor", PORTS.floor, serverEnv, "floor");
    servers.push(floor);
    const bare = await startNodeServer(["--import", "tsx", "bench/lib/bare-categories-server.ts", String(PORTS.bare)], PORTS.bare, serverEnv, "/", "bare");
    servers.push(bare);
    log(`servers up: app ${app.url}, floor ${floor.url}, bare ${bare.url}`);

    const moderatorsConfig = (thinkMs: number, seconds: number, ackFile: string): TAppLoadConfig => ({
      mode: "moderators",
      host: "127.0.0.1",
      port: PORTS.app,
      durationMs: seconds * 1000,
      thinkMs,
      cookies,
      claim: { method: "POST", path: apiPath(slug, "queue/claim") },
      decisionPath: apiPath(slug, "queue/decisions"),
      origin: app.url,
      categoryIds: data.categoryIds,
      ackFile,
    });
    const ackFiles: string[] = [];
    const moderators = async (thinkMs: number, seconds: number) => {
      const ackFile = path.join(tmp, `acked-${ackFiles.length}.txt`);
      ackFiles.push(ackFile);
      const cpuBefore = await cpuMs(app.child.pid);
      const result = await runLoad<TModeratorsResult>(moderatorsConfig(thinkMs, seconds, ackFile));
      const requests = result.claims + result.decisions;
      return { ...result, server_cpu_ms_per_request: round2(((await cpuMs(app.child.pid)) - cpuBefore) / Math.max(1, requests)) };
    };

    // Warm-up, not measured: the server's first requests compile routes and open pooled connections.
    // (repeated while nothing got through: on a loaded machine the first claims can take seconds)
    let warmup = await moderators(0, isSmall ? 3 : 5);
    for (let i = 0; i < 3 && warmup.decisions === 0; i++) warmup = await moderators(0, 3);
    if (warmup.decisions === 0) throw new Error(`no decision went through during the warm-up: ${JSON.stringify(warmup)}`);

    log(`paced run: ${MODERATORS} moderators, ${SECONDS} s, think ${THINK_MS} ms`);
    const loadBeforePaced = load1();
    const paced = await moderators(THINK_MS, SECONDS);
    log(
      `claim p95 ${paced.claim_p95_ms} ms, decide p95 ${paced.decide_p95_ms} ms, ${paced.decisions_per_s} decisions/s, ${paced.server_cpu_ms_per_request} ms of server CPU per request (load ${load1()})`,
    );

    log(`saturation: in-process then over HTTP, ${SATURATION_SECONDS} s each`);
    const loadBeforeSaturation = load1();
    // as bench/queue.ts: one connection per moderator, kept open (the servers above keep their own settings)
    process.env.MODLOOP_POOL_MAX = String(MODERATORS + 2);
    process.env.MODLOOP_POOL_IDLE_MS = "0";
    const inProcess = await inProcessSaturation(data.workspaceId, moderatorIds, data.categoryIds, SATURATION_SECONDS);
    const overHttp = await moderators(0, SATURATION_SECONDS);
    log(`in-process ${inProcess.decisions_per_s}/s, over HTTP ${overHttp.decisions_per_s}/s (load ${load1()})`);

    log(`categories route: ${RATIO_PAIRS} × (floor, app, bare) runs of ${PAIR_SECONDS} s, ${GET_CONNECTIONS} connections`);
    const loadBeforeRatios = load1();
    // CPU per request counts the whole run (warm-up included) over every answer, in or out of the window
    const getRun = async (server: TServer, urlPath: string) => {
      const cpuBefore = await cpuMs(server.child.pid);
      const result = await runLoad<TGetResult>({
        mode: "get",
        host: "127.0.0.1",
        port: server.port,
        durationMs: PAIR_SECONDS * 1000,
        warmupMs: 1000,
        connections: GET_CONNECTIONS,
        path: urlPath,
        headers: { cookie: cookies[0] },
      });
      return { ...result, cpu_ms_per_request: round2(((await cpuMs(server.child.pid)) - cpuBefore) / Math.max(1, result.answers)) };
    };
    type TRun = Awaited<ReturnType<typeof getRun>>;
    for (const [port, urlPath] of [
      [PORTS.floor, `/api/w/${slug}/categories`],
      [PORTS.app, apiPath(slug, "categories")],
      [PORTS.bare, `/api/w/${slug}/categories`],
    ] as const) {
      const answer = await fetch(`http://127.0.0.1:${port}${urlPath}`, { headers: { cookie: cookies[0] } });
      if (answer.status !== 200) throw new Error(`GET ${urlPath} on port ${port} answered ${answer.status}: ${await answer.text()}`);
    }
    const runs: { floor: TRun; app: TRun; bare: TRun }[] = [];
    for (let i = 0; i < RATIO_PAIRS; i++) {
      const floorRun = await getRun(floor, `/api/w/${slug}/categories`);
      const appRun = await getRun(app, apiPath(slug, "categories"));
      const bareRun = await getRun(bare, `/api/w/${slug}/categories`);
      for (const [name, r] of Object.entries({ floor: floorRun, app: appRun, bare: bareRun })) {
        if (r.first_error || (!isSmall && r.requests === 0))
          throw new Error(`the ${name} categories run failed: ${JSON.stringify(r.statuses)} ${r.first_error}`);
      }
      runs.push({ floor: floorRun, app: appRun, bare: bareRun });
      log(
        `floor ${floorRun.rps}/s (${floorRun.cpu_ms_per_request} ms CPU each) · app ${appRun.rps}/s (${appRun.cpu_ms_per_request}) · bare ${bareRun.rps}/s (${bareRun.cpu_ms_per_request})`,
      );
    }

    // "No other load": the load runs before (paced, saturation, the categories route) leave PostgreSQL dirty
    // buffers to write; a CHECKPOINT writes them and the pause lets the machine settle, so that the first samples
    // do not pay for those runs
    await client.query("CHECKPOINT");
    await new Promise((r) => setTimeout(r, isSmall ? 0 : FIRST_CARD_SETTLE_MS));
    log(`first card: ${FIRST_CARD_SAMPLES} sign-ins in Chromium after one to warm up (load ${load1()})`);
    const loadBeforeFirstCard = load1();
    const [coldSample, ...firstCardSamples] = await firstCard(
      app.url,
      emails.map((e) => e.email),
      PASSWORD,
    );
    // the figure of record: in the page, click event → the excerpt's text painted (MARK_FIRST_CARD); the start
    // of that frame and the Playwright-side span (its click() call → the page's "painted" console message) are kept beside it
    const isInPageComplete = firstCardSamples.every((s) => s.in_page_ms !== null);
    log(`first card in the page: ${firstCardSamples.map((s) => (s.in_page_ms === null ? "missing" : Math.round(s.in_page_ms))).join(", ")} ms`);
    const playwrightMs = firstCardSamples.map((s) => s.total_ms).sort((a, b) => a - b);
    const firstCardMs = isInPageComplete ? firstCardSamples.map((s) => s.in_page_ms as number).sort((a, b) => a - b) : playwrightMs;
    log(`first card p50 ${round2(percentile(firstCardMs, 50))} ms, p95 ${round2(percentile(firstCardMs, 95))} ms`);
    const frameStarts = firstCardSamples.map((s) => s.frame_start_ms);
    const frameStartMs = frameStarts.every((ms) => ms !== null) ? (frameStarts as number[]).sort((a, b) => a - b) : null;

    for (const s of servers.splice(0)) await s.stop();

    // ----- verification, from the data -----
    const httpAcked = (await Promise.all(ackFiles.map((f) => readFile(f, "utf8")))).flatMap((t) => t.split("\n").filter(Boolean));
    const acked = [...httpAcked, ...inProcess.acked];
    const { rows: found } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM decision WHERE id = ANY ($1::bigint[])`, [acked]);
    const { rows: dupLabels } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT excerpt_id FROM decision WHERE origin = 'queue' AND kind = 'label' GROUP BY excerpt_id HAVING count(*) > 1) d`,
    );
    const { rows: late } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM decision WHERE is_late_conflict`);
    const overlaps = warmup.overlapping_holds_seen + paced.overlapping_holds_seen + overHttp.overlapping_holds_seen;

    // (a small run on a busy machine may see no answer inside a window: its ratios are then not figures)
    const apiRatios = runs.map((r) => r.app.rps / Math.max(1, r.floor.rps));
    const floorRatios = runs.map((r) => r.floor.rps / Math.max(1, r.bare.rps));
    const result = {
      http_claim_p95_ms: paced.claim_p95_ms,
      http_decide_p95_ms: paced.decide_p95_ms,
      http_saturation_ratio: round2(overHttp.decisions_per_s / inProcess.decisions_per_s),
      http_saturation_decisions_per_s: overHttp.decisions_per_s,
      inprocess_saturation_decisions_per_s: inProcess.decisions_per_s,
      api_overhead_ratio: round2(median(apiRatios)),
      framework_floor_ratio: round2(median(floorRatios)),
      first_card_p95_ms: round2(percentile(firstCardMs, 95)),
      first_card_p50_ms: round2(percentile(firstCardMs, 50)),
      first_card_samples_ms: firstCardMs.map(round2),
      // the same, in the order they were taken (the first after the pause first)
      first_card_samples_in_order_ms: firstCardSamples.map((x) => (x.in_page_ms === null ? null : round2(x.in_page_ms))),
      first_card_measured: isInPageComplete
        ? "in the page: the sign-in button's click event → the excerpt's text painted (Element Timing renderTime)"
        : "Playwright: click() called → the page's painted message received (the in-page marks were missing in some sample)",
      // the server's first sign-in since it started (loads the sign-in route and the password hasher's
      // worker threads): once per web process, not part of the percentiles above
      // the start of the first animation frame after the excerpt's text entered the DOM, before that frame's
      // style, layout and paint: how first_card_p95_ms was measured until 2026-12-07
      first_card_frame_start_p95_ms: frameStartMs ? round2(percentile(frameStartMs, 95)) : null,
      first_card_frame_start_p50_ms: frameStartMs ? round2(percentile(frameStartMs, 50)) : null,
      first_card_cold_start_ms: coldSample ? round2(coldSample.in_page_ms ?? coldSample.total_ms) : null,
      first_card_playwright_p95_ms: round2(percentile(playwrightMs, 95)),
      first_card_playwright_p50_ms: round2(percentile(playwrightMs, 50)),
      // ms from the click until the sign-in answer, the queue page's HTML and the first claim's answer had arrived (median)
      first_card_steps_p50_ms: Object.fromEntries(
        FIRST_CARD_STEPS.map((k) => {
          const measured = firstCardSamples.map((s) => s.steps[k]).filter((ms): ms is number => typeof ms === "number");
          return [k, measured.length > 0 ? median(measured) : null];
        }),
      ),
      // claims explain their cards with the active model, as a moderator's do (bench/lib/queue-data.ts's model)
      paced_cards_explained_share: explainedShare({ cards: paced.cards_claimed, explained: paced.cards_explained }),
      inprocess_saturation_cards_explained_share: explainedShare(inProcess.explained),
      paced: { moderators: MODERATORS, think_ms: THINK_MS, ...paced },
      saturation_over_http: overHttp,
      categories_runs: runs.map((r) => ({
        app_rps: r.app.rps,
        app_p50_ms: r.app.p50_ms,
        app_cpu_ms_per_request: r.app.cpu_ms_per_request,
        floor_rps: r.floor.rps,
        floor_p50_ms: r.floor.p50_ms,
        floor_cpu_ms_per_request: r.floor.cpu_ms_per_request,
        bare_rps: r.bare.rps,
        bare_p50_ms: r.bare.p50_ms,
        bare_cpu_ms_per_request: r.bare.cpu_ms_per_request,
      })),
      // the web process's CPU per request: the same ratio seen from the server, steadier on a shared machine
      categories_cpu_ms_per_request: {
        app: median(runs.map((r) => r.app.cpu_ms_per_request)),
        floor: median(runs.map((r) => r.floor.cpu_ms_per_request)),
        bare: median(runs.map((r) => r.bare.cpu_ms_per_request)),
      },
      categories_app_rps: median(runs.map((r) => r.app.rps)),
      categories_floor_rps: median(runs.map((r) => r.floor.rps)),
      categories_bare_rps: median(runs.map((r) => r.bare.rps)),
      lost_decisions: acked.length - found[0].n,
      acknowledged_decisions_checked: acked.length,
      duplicate_assignments: dupLabels[0].n + late[0].n + overlaps,
      excerpts: EXCERPTS,
      targets: TARGETS,
      load_average: {
        start: loadAtStart,
        paced: loadBeforePaced,
        saturation: loadBeforeSaturation,
        ratios: loadBeforeRatios,
        first_card: loadBeforeFirstCard,
        end: load1(),
      },
      machine: `${os.cpus().length} cores shared with PostgreSQL, the load process, Chromium and other engineers' work; Node ${process.version}`,
      postgres: await postgresSettings(client),
      queue_concurrency:
        process.env.MODLOOP_QUEUE_CONCURRENCY ??
        `${Math.max(1, Math.min(2 * os.availableParallelism(), Math.floor(Number(process.env.MODLOOP_POOL_MAX ?? 10) / 2)))} (default: 2 × cores, at most half the pool)`,
      path: `scripts/web.ts (production build: Next.js with the queue's claim/decide/undo/progress on the fast lane${process.env.MODLOOP_FAST_LANE === "0" ? " turned off" : ""}; one process, pool of ${serverPoolMax} connections) on 127.0.0.1 ← a separate load process (raw keep-alive sockets, one per moderator); floor = bench/next-floor (Next.js route + pg), bare = node:http + pg, same lookups; first card = Chromium headless, a fresh context per sample, no other load (after a CHECKPOINT and a ${isSmall ? 0 : FIRST_CARD_SETTLE_MS / 1000} s pause), after one unmeasured sign-in that warms the server (first_card_cold_start_ms), timed in the page from the sign-in button's click event until the excerpt's text was painted (Element Timing; first_card_frame_start_* = the start of that frame, the measure before 2026-12-07; first_card_playwright_* = Playwright's click() → the page's painted message; first_card_steps_p50_ms = Navigation and Paint Timing from the click: the sign-in's 303, the queue page's first and last byte, first contentful paint, DOMContentLoaded)`,
      size: isSmall ? "small" : "full",
      measured_at: new Date().toISOString(),
    };
    console.log(JSON.stringify(result, null, 2));
    await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
    const out = path.join(ROOT, `bench/results/http${isSmall ? ".small" : ""}.json`);
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${path.relative(ROOT, out)}`);

    const failures = [
      result.lost_decisions !== 0 && `${result.lost_decisions} acknowledged decisions are not stored`,
      result.duplicate_assignments !== 0 && `${result.duplicate_assignments} items were handed to two moderators at once`,
      paced.decisions === 0 && "no decisions were made",
      !isExplainedEnough({ cards: paced.cards_claimed, explained: paced.cards_explained }) &&
        `only ${paced.cards_explained} of ${paced.cards_claimed} cards claimed over HTTP were explained`,
      !isExplainedEnough(inProcess.explained) &&
        `only ${inProcess.explained.explained} of ${inProcess.explained.cards} cards claimed in-process were explained`,
      Object.keys(paced.non_2xx).length > 0 && `non-2xx answers: ${JSON.stringify(paced.non_2xx)} ${paced.first_error}`,
      firstCardMs.length !== FIRST_CARD_SAMPLES && "first-card samples missing",
    ].filter(Boolean);
    if (failures.length > 0) {
      console.error(`FAILED: ${failures.join("; ")}`);
      process.exitCode = 1;
    }
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
    await client.end().catch(() => {});
    const { closePools } = await import("../server/db/pool.ts");
    await closePools();
    if (!args["keep-db"]) await bench.drop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
