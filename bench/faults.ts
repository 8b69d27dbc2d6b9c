/**
 * Fault suite (issue 13): what a crash, a lost answer or a restart does to the data, on real PostgreSQL
 * (its own database, created, then dropped) with the app served as in production (`next build` +
 * `npm run web`, scripts/web.ts) and load from a separate process (bench/lib/faults-load.ts).
 *
 *   acknowledged_decisions_lost (0), duplicate_decisions_from_retries (0)
 *       50 moderators (BENCH_SIZE=small: 10) over HTTP through a proxy that, for 5% of the decisions,
 *       lets the app answer and then closes the connection instead of passing the answer on. The
 *       moderator retries with the same Idempotency-Key. Afterwards every acknowledged decision id must
 *       be a stored row, and the stored rows must be exactly the acknowledged decisions.
 *   worker_kill_resume_s (≤ 30; judged on the full run, a small run only checks the work finishes)
 *       new excerpts, a scoring job, a real worker process (scripts/worker.ts) SIGKILLed once the job has
 *       stored some predictions and not all, a second worker started at once: seconds from the kill
 *       until every excerpt is scored (the dead worker's job is taken over when its lease lapses).
 *   label_rule_mismatches (0; goal_met only over ≥ 100,000 histories in a full run)
 *       generated decision histories (100,000; small: 200) played through the app's write paths
 *       (server/labels/replay-history.ts replayHistories: independent histories 32 at a time, each lane
 *       with moderators of its own; the leading imported labels batched into one import per moderator),
 *       then findLabelMismatches: the cached label against lib/labels.
 *   web_kill_mid_snapshot_recovered (true)
 *       a snapshot requested over HTTP (all formats, 25,000 labelled rows; small: 5,000) built by a real
 *       worker; the web process and the worker are SIGKILLed while it builds and started again: it must
 *       end done by itself, with every file of its manifest present, size and checksum matching.
 *   worker_kill_mid_training_recovered (true)
 *       a training run requested over HTTP; the worker is SIGKILLed while the run is "training", a new
 *       worker started: the run must end done with exactly one new model version and no second run.
 *   pg_restart_recovery_s (≤ 5, judged on the full run)
 *       a private PostgreSQL (initdb into a temporary folder, port BENCH_PORT+10; the machine's shared
 *       server is never restarted) behind its own production server, 10 moderators claiming and deciding
 *       over HTTP; pg_ctl restart -m fast, then -m immediate: seconds from the command until requests
 *       succeed again, the app untouched; every acknowledged decision must survive.
 *
 * Writes bench/results/faults.json (BENCH_SIZE=small → faults.small.json).
 *   npx tsx bench/faults.ts [--moderators N] [--seconds N] [--histories N] [--score-excerpts N] [--snapshot-labels N] [--keep-db]
 *                           [--resume-timeout SECONDS] [--only decisions|worker|snapshot|training|labels|pg]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createBenchDatabase } from "./lib/bench-database.ts";
import type { TFaultsLoadConfig, TFaultsLoadResult } from "./lib/faults-load.ts";
import { ensureNextBuild, startAppServer, type TServer } from "./lib/next-server.ts";
import { generateQueueData } from "./lib/queue-data.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const isSmall = process.env.BENCH_SIZE === "small";
const { values: args } = parseArgs({
  options: {
    moderators: { type: "string" },
    seconds: { type: "string" },
    histories: { type: "string" },
    "score-excerpts": { type: "string" },
    "snapshot-labels": { type: "string" },
    /** how long the worker-kill part waits for scoring to finish after the kill (default 180) */
    "resume-timeout": { type: "string" },
    "keep-db": { type: "boolean", default: false },
    /** for working on one part: prints that part's figures and writes no results file */
    only: { type: "string" },
  },
});
const MODERATORS = Number(args.moderators ?? (isSmall ? 10 : 50));
const SECONDS = Number(args.seconds ?? (isSmall ? 8 : 30));
const THINK_MS = 200;
const DROP_RATE = 0.05;
const HISTORIES = Number(args.histories ?? (isSmall ? 200 : 100_000));
const SCORE_EXCERPTS = Number(args["score-excerpts"] ?? (isSmall ? 6_000 : 30_000));
const SNAPSHOT_LABELS = Number(args["snapshot-labels"] ?? (isSmall ? 5_000 : 25_000));
const SNAPSHOT_RECOVERY_TIMEOUT_MS = 180_000;
const RESUME_TIMEOUT_MS = Number(args["resume-timeout"] ?? 180) * 1000;
const TRAINING_RECOVERY_TIMEOUT_MS = 240_000;
const BASE_PORT = Number(process.env.BENCH_PORT ?? 3800);
/** the app, the dropping proxy, the app on the private PostgreSQL, the private PostgreSQL */
const PORTS = { app: BASE_PORT, proxy: BASE_PORT + 1, pgApp: BASE_PORT + 2, pg: BASE_PORT + 10 };
const PG_SETTLE_MS = isSmall ? 2_000 : 6_000;
const GOALS = {
  acknowledged_decisions_lost: 0,
  duplicate_decisions_from_retries: 0,
  worker_kill_resume_s: 30,
  label_rule_mismatches: 0,
  pg_restart_recovery_s: 5,
  web_kill_mid_snapshot_recovered: true,
  worker_kill_mid_training_recovered: true,
};

const log = (m: string) => console.log(`[faults] ${m}`);
const round2 = (x: number) => Math.round(x * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tmp = "";

async function runLoad(config: TFaultsLoadConfig): Promise<TFaultsLoadResult> {
  const file = path.join(tmp, `faults-load-${randomBytes(4).toString("hex")}.json`);
  await writeFile(file, JSON.stringify(config));
  const child = spawn(process.execPath, ["--import", "tsx", "bench/lib/faults-load.ts", file], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`the load process exited with ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as TFaultsLoadResult;
}

/** Decisions over HTTP with answers lost after commit: acknowledged vs stored. */
async function decisionsUnderDroppedAnswers(client: pg.Client, databaseUrl: string) {
  const data = await generateQueueData(client, { excerpts: isSmall ? 5_000 : 50_000, moderators: MODERATORS });
  const { hashSessionToken } = await import("../server/auth/session.ts");
  const tokens = data.userIds.map(() => randomBytes(32).toString("base64url"));
  await client.query(`INSERT INTO session (id, user_id, expires_at) SELECT unnest($1::text[]), unnest($2::int[]), now() + interval '12 hours'`, [
    tokens.map(hashSessionToken),
    data.userIds,
  ]);
  await client.query("VACUUM ANALYZE");
  const { rows: ws } = await client.query<{ slug: string }>(`SELECT slug FROM workspace WHERE id = $1`, [data.workspaceId]);
  const slug = ws[0].slug;

  const serverEnv = { DATABASE_URL: databaseUrl, MODLOOP_INPROCESS_WORKER: "0" };
  await ensureNextBuild(
    ".",
    ["app", "components", "lib", "server", "public", "next.config.js", "postcss.config.mjs", "tsconfig.json", "package.json", "proxy.ts", "instrumentation.ts"],
    serverEnv,
  );
  let app: TServer | undefined;
  try {
    app = await startAppServer(PORTS.app, serverEnv, "app");
    log(`${MODERATORS} moderators for ${SECONDS} s through the dropping proxy (${DROP_RATE * 100}% of decision answers lost after commit)`);
    const ackFile = path.join(tmp, "acked.json");
    const load = await runLoad({
      host: "127.0.0.1",
      appPort: PORTS.app,
      proxyPort: PORTS.proxy,
      durationMs: SECONDS * 1000,
      thinkMs: THINK_MS,
      dropRate: DROP_RATE,
      cookies: tokens.map((t) => `modloop_session=${t}`),
      claimPath: `/api/w/${slug}/queue/claim`,
      decisionPath: `/api/w/${slug}/queue/decisions`,
      categoryIds: data.categoryIds,
      ackFile,
    });
    const acked = JSON.parse(await readFile(ackFile, "utf8")) as { key: string; decisionId: string }[];
    const ackedIds = [...new Set(acked.map((a) => a.decisionId))];
    const { rows: found } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM decision WHERE id = ANY ($1::bigint[])`, [ackedIds]);
    const { rows: stored } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM decision WHERE workspace_id = $1`, [data.workspaceId]);
    const { rows: keys } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM idempotent_request WHERE workspace_id = $1`, [data.workspaceId]);
    const { rows: twice } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT excerpt_id, user_id FROM decision WHERE workspace_id = $1 AND kind = 'label' GROUP BY 1, 2 HAVING count(*) > 1) d`,
      [data.workspaceId],
    );
    // each key reached the app at least once, so each stored a decision; unresolved keys may have too
    const extraRows = stored[0].n - ackedIds.length - load.decision_keys_unresolved;
    return {
      load,
      acknowledged_decisions_lost: ackedIds.length - found[0].n,
      duplicate_decisions_from_retries: Math.max(0, extraRows) + load.retry_answers_differing + (acked.length - ackedIds.length),
      detail: {
        acknowledged_decisions: acked.length,
        decision_rows_stored: stored[0].n,
        idempotency_keys_stored: keys[0].n,
        same_moderator_labelled_same_excerpt_twice: twice[0].n,
      },
    };
  } finally {
    await app?.stop();
  }
}

function startWorkerProcess(databaseUrl: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  // its log says what it did (took over a job, scored N, continued in a new job, failed on the last
  // attempt): without it a run that did not recover could not say why
  child.stdout!.on("data", (d: Buffer) => process.stdout.write(prefixLines(`[worker ${child.pid}] `, d.toString())));
  child.stderr!.on("data", (d: Buffer) => process.stderr.write(prefixLines(`[worker ${child.pid}] `, d.toString())));
  return child;
}

const prefixLines = (prefix: string, text: string) =>
  text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => `${prefix}${line}\n`)
    .join("");

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** A real worker SIGKILLed in the middle of a scoring job; a new one finishes it. */
async function workerKillResume(databaseUrl: string) {
  const { getPool } = await import("../server/db/pool.ts");
  const { seedDemoWorkspace } = await import("../server/demo/seed-demo-workspace.ts");
  const { importRecords } = await import("../server/ingest/import-records.ts");
  const { enqueueScoring } = await import("../server/jobs/enqueue.ts");
  const { stopBoss } = await import("../server/jobs/boss.ts");
  const seeded = await seedDemoWorkspace({ conversations: 4, hasReviewHistory: false });
  const workspaceId = seeded.workspaceId;
  const { rows: admins } = await getPool().query<{ id: number }>(
    `SELECT user_id AS id FROM workspace_member WHERE workspace_id = $1 AND role = 'admin' ORDER BY user_id LIMIT 1`,
    [workspaceId],
  );
  log(`importing ${SCORE_EXCERPTS.toLocaleString()} unscored excerpts`);
  const words = "gg wp push mid you idiot noob trash nice shot report this player ward dragon".split(" ");
  for (let from = 0; from < SCORE_EXCERPTS; from += 5_000) {
    await importRecords({
      workspaceId,
      userId: admins[0].id,
      filename: `faults-${from}.jsonl`,
      records: Array.from({ length: Math.min(5_000, SCORE_EXCERPTS - from) }, (_, j) => {
        const i = from + j;
        return {
          external_id: `fault-${i}`,
          text: `${words[i % words.length]} ${words[(i * 7) % words.length]} ${words[(i * 13) % words.length]} ${i}`,
          conversation_id: `fc-${Math.floor(i / 20)}`,
        };
      }),
    });
  }
  const unscored = async () =>
    (
      await getPool().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM excerpt e JOIN workspace w ON w.id = e.workspace_id
         WHERE w.id = $1 AND NOT EXISTS (SELECT 1 FROM prediction p WHERE p.excerpt_id = e.id AND p.model_version_id + 0 = w.active_model_version_id)`,
        [workspaceId],
      )
    ).rows[0].n;
  const before = await unscored();
  await enqueueScoring(workspaceId);
  await stopBoss({ graceful: false });
  const first = startWorkerProcess(databaseUrl);
  let second: ChildProcess | undefined;
  try {
    // kill once the job has stored some predictions and not all of them
    let left = before;
    const waitUntil = Date.now() + 120_000;
    while (Date.now() < waitUntil) {
      left = await unscored();
      if (left < before || first.exitCode !== null) break;
      await sleep(50);
    }
    if (first.exitCode !== null) throw new Error(`the first worker exited with ${first.exitCode} before scoring`);
    killGroup(first, "SIGKILL");
    const killedAt = performance.now();
    const { rows: dbNow } = await getPool().query<{ now: Date }>(`SELECT now()`);
    const leftAtKill = await unscored();
    log(`worker SIGKILLed with ${leftAtKill.toLocaleString()} of ${before.toLocaleString()} excerpts unscored; starting a new worker`);
    second = startWorkerProcess(databaseUrl);
    const sinceKill = () => round2((performance.now() - killedAt) / 1000);
    const deadline = Date.now() + RESUME_TIMEOUT_MS;
    let remaining = leftAtKill;
    // The takeover: a scoring job of the workspace running again after the kill, as a retry of the dead one
    // or a job created since. Not "the first new prediction": the dead worker's last INSERT, already sent,
    // still commits a batch a moment after the SIGKILL.
    const isTakenOver = async () =>
      (
        await getPool().query(
          `SELECT 1 FROM pgboss.job WHERE name = 'score-excerpts' AND data->>'workspaceId' = $1
              AND (state = 'active' OR state = 'completed') AND (retry_count > 0 OR created_on > $2)`,
          [String(workspaceId), dbNow[0].now],
        )
      ).rows.length > 0;
    let takeover: { s: number; left: number } | null = null;
    // unscored count every 10 s, so a run that misses the deadline shows whether scoring stalled or crawled
    const progress: [number, number][] = [[0, leftAtKill]];
    while (Date.now() < deadline && remaining > 0) {
      await sleep(200);
      if (takeover === null && (await isTakenOver())) takeover = { s: sinceKill(), left: remaining };
      remaining = await unscored();
      if (sinceKill() >= progress.length * 10) progress.push([sinceKill(), remaining]);
    }
    const endS = sinceKill();
    progress.push([endS, remaining]);
    const resumeS = remaining === 0 ? endS : null;
    // from the unscored count just before the takeover was seen (≤ 0.2 s late) to the end
    const rate = takeover !== null && endS > takeover.s ? Math.round((takeover.left - remaining) / (endS - takeover.s)) : null;
    // every scoring job of the workspace (pg-boss keeps finished ones): retries, failures and hand-overs at a glance
    const { rows: jobs } = await getPool().query<{ state: string; retry_count: number; output: { scored?: number; ms?: number } | null }>(
      `SELECT state::text, retry_count, output
         FROM pgboss.job WHERE name = 'score-excerpts' AND data->>'workspaceId' = $1 ORDER BY created_on, started_on`,
      [String(workspaceId)],
    );
    if (remaining > 0) {
      log(
        `scoring did not finish within ${RESUME_TIMEOUT_MS / 1000} s of the kill: ${remaining.toLocaleString()} unscored` +
          (takeover === null
            ? ", and no scoring job of the workspace ran again after the kill (never taken over)"
            : `, ${rate}/s since the takeover at ${takeover.s} s`),
      );
    }
    return {
      workspaceId,
      worker_kill_resume_s: resumeS,
      detail: {
        excerpts: before,
        unscored_at_kill: leftAtKill,
        killed_mid_job: leftAtKill > 0 && leftAtKill < before,
        unscored_at_end: remaining,
        timeout_s: RESUME_TIMEOUT_MS / 1000,
        /** seconds from the kill to the first prediction stored after it (null: never taken over) */
        takeover_s: takeover?.s ?? null,
        /** excerpts scored per second from the takeover to the end (all done, or the deadline) */
        scored_per_s_after_takeover: rate,
        /** [seconds since the kill, unscored] */
        progress,
        score_jobs: jobs.map((j) => ({
          state: j.state,
          retry_count: j.retry_count,
          // the job's own rate: what it scored over the time it ran (a finished job's output)
          scored_per_s: j.output?.scored !== undefined && j.output.ms ? Math.round(j.output.scored / (j.output.ms / 1000)) : null,
          output: j.output,
        })),
        load1_at_end: round2(os.loadavg()[0]),
      },
    };
  } finally {
    killGroup(first, "SIGKILL");
    if (second) killGroup(second, "SIGTERM");
    await sleep(500);
    if (second) killGroup(second, "SIGKILL");
  }
}

/** A session cookie for `userId` (as the sign-in would set), for driving the app over HTTP. */
async function sessionCookie(userId: number): Promise<string> {
  const { getPool } = await import("../server/db/pool.ts");
  const { hashSessionToken } = await import("../server/auth/session.ts");
  const token = randomBytes(32).toString("base64url");
  await getPool().query(`INSERT INTO session (id, user_id, expires_at) VALUES ($1, $2, now() + interval '12 hours')`, [hashSessionToken(token), userId]);
  return `modloop_session=${token}`;
}

async function appRequest(base: string, cookie: string, method: "GET" | "POST", urlPath: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers: { cookie, origin: base, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json };
}

async function waitFor<T>(timeoutMs: number, probe: () => Promise<T | null | undefined | false>, everyMs = 100): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) return null;
    await sleep(everyMs);
  }
}

const SERVER_ENV = (databaseUrl: string) => ({ DATABASE_URL: databaseUrl, MODLOOP_INPROCESS_WORKER: "0" });
const BUILD_INPUTS = [
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
];

/** Labels `count` unlabelled excerpts of the workspace by SQL (set-up only: a snapshot and a training run need labels to work on). */
async function labelExcerptsBySql(workspaceId: number, userId: number, count: number): Promise<number> {
  const { getPool } = await import("../server/db/pool.ts");
  // so many new labels would have the workers' sweep request an automatic retrain, which is not under
  // test here and would join or follow the training run the suite requests itself
  await getPool().query(`UPDATE workspace SET retrain_every = NULL WHERE id = $1`, [workspaceId]);
  const { rows } = await getPool().query<{ n: number }>(
    `WITH picked AS (
       SELECT e.id, (SELECT array_agg(c.id ORDER BY c.sort_order) FROM category c WHERE c.workspace_id = $1 AND c.is_active) AS cats
         FROM excerpt e WHERE e.workspace_id = $1 AND e.current_category_id IS NULL AND NOT e.held_out
        ORDER BY e.id LIMIT $3),
     labelled AS (
       INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id)
       SELECT $1, id, $2, 'label', 'queue', cats[1 + (id % array_length(cats, 1))::int] FROM picked
       RETURNING excerpt_id, category_id)
     UPDATE excerpt e SET current_category_id = l.category_id FROM labelled l WHERE e.id = l.excerpt_id
     RETURNING 1`,
    [workspaceId, userId, count],
  );
  await getPool().query(
    `UPDATE queue_item q SET is_open = false, labelled_by = ARRAY[$2::int] FROM excerpt e
      WHERE q.excerpt_id = e.id AND e.workspace_id = $1 AND e.current_category_id IS NOT NULL AND q.is_open`,
    [workspaceId, userId],
  );
  return rows.length;
}

/**
 * A snapshot requested over HTTP from the production server, built by a real worker; the web process and
 * the worker are both SIGKILLed while it is being built, then started again. It must finish by itself
 * (status done, every file of its manifest present with its size and checksum).
 */
async function webKillMidSnapshot(databaseUrl: string, workspaceId: number) {
  const { getPool } = await import("../server/db/pool.ts");
  const { snapshotDir } = await import("../server/export/snapshot-paths.ts");
  const { rows: admins } = await getPool().query<{ id: number; slug: string }>(
    `SELECT m.user_id AS id, w.slug FROM workspace_member m JOIN workspace w ON w.id = m.workspace_id WHERE m.workspace_id = $1 AND m.role = 'admin' ORDER BY m.user_id LIMIT 1`,
    [workspaceId],
  );
  const { id: adminId, slug } = admins[0];
  const labelled = await labelExcerptsBySql(workspaceId, adminId, SNAPSHOT_LABELS);
  const { rows: totals } = await getPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM excerpt WHERE workspace_id = $1 AND current_category_id IS NOT NULL`,
    [workspaceId],
  );
  log(`web + worker kill mid-snapshot: ${totals[0].n.toLocaleString()} labelled excerpts (${labelled.toLocaleString()} labelled for it by SQL)`);
  const cookie = await sessionCookie(adminId);
  await ensureNextBuild(".", BUILD_INPUTS, SERVER_ENV(databaseUrl));
  let app: TServer | undefined = await startAppServer(PORTS.app, SERVER_ENV(databaseUrl), "app");
  let worker: ChildProcess | undefined = startWorkerProcess(databaseUrl);
  const status = async (id: number) =>
    (
      await getPool().query<{ status: string; progress: number; phase: string; error: string | null }>(
        `SELECT status, progress, phase, error FROM dataset_snapshot WHERE id = $1`,
        [id],
      )
    ).rows[0];
  try {
    const created = await appRequest(app.url, cookie, "POST", `/api/w/${slug}/datasets/snapshots`, {
      params: { name: "faults", formats: ["jsonl", "csv", "hf", "parquet"] },
    });
    if (created.status !== 202) throw new Error(`POST snapshots answered ${created.status}: ${JSON.stringify(created.json).slice(0, 300)}`);
    const snapshotId = (created.json as { snapshot?: { id: number }; id?: number }).snapshot?.id ?? (created.json as { id: number }).id;
    // kill once the build is under way: running, and past its first progress report (or a second into it)
    let runningSince = 0;
    const atKill = await waitFor(
      120_000,
      async () => {
        const s = await status(snapshotId);
        if (s.status === "queued") return null;
        if (s.status === "running" && runningSince === 0) runningSince = Date.now();
        return s.status !== "running" || s.progress > 0 || Date.now() - runningSince > 1_000 ? s : null;
      },
      20,
    );
    if (!atKill) throw new Error("the snapshot never started building");
    const wasMidBuild = atKill.status === "running";
    if (app.child.pid) process.kill(-app.child.pid, "SIGKILL");
    killGroup(worker, "SIGKILL");
    const killedAt = performance.now();
    log(
      `SIGKILLed the web process and the worker with snapshot ${snapshotId} ${atKill.status} (${atKill.phase} ${Math.round(atKill.progress * 100)}%); starting both again`,
    );
    await sleep(300);
    app = await startAppServer(PORTS.app, SERVER_ENV(databaseUrl), "app");
    worker = startWorkerProcess(databaseUrl);
    const finished = await waitFor(
      SNAPSHOT_RECOVERY_TIMEOUT_MS,
      async () => {
        const r = await appRequest(app!.url, cookie, "GET", `/api/w/${slug}/datasets/snapshots/${snapshotId}`);
        const snap = ((r.json as { snapshot?: unknown }).snapshot ?? r.json) as {
          status: string;
          error?: string | null;
          files?: { path: string; bytes: number; sha256: string }[];
        };
        return r.status === 200 && (snap.status === "done" || snap.status === "failed") ? snap : null;
      },
      500,
    );
    const recoveredS = round2((performance.now() - killedAt) / 1000);
    // every file the manifest names is there, whole
    const dir = snapshotDir(snapshotId);
    let filesOk = false;
    let fileProblems: string[] = [];
    if (finished?.status === "done") {
      const manifest = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as { files: { path: string; bytes: number; sha256: string }[] };
      fileProblems = [];
      for (const f of manifest.files) {
        const data = await readFile(path.join(dir, f.path)).catch(() => null);
        if (!data) fileProblems.push(`${f.path}: missing`);
        else if (data.length !== f.bytes || createHash("sha256").update(data).digest("hex") !== f.sha256)
          fileProblems.push(`${f.path}: size or checksum differs`);
      }
      const key = (fs: { path: string; bytes: number; sha256: string }[] | undefined) =>
        (fs ?? [])
          .map((f) => `${f.path}:${f.bytes}:${f.sha256}`)
          .sort()
          .join("|");
      if (key(manifest.files) !== key(finished.files)) fileProblems.push("the snapshot's file list differs from its manifest");
      filesOk = manifest.files.length > 0 && fileProblems.length === 0;
    }
    return {
      web_kill_mid_snapshot_recovered: wasMidBuild && finished?.status === "done" && filesOk,
      detail: {
        snapshot_id: snapshotId,
        labelled_rows: totals[0].n,
        status_at_kill: `${atKill.status} (${atKill.phase} ${Math.round(atKill.progress * 100)}%)`,
        killed_mid_build: wasMidBuild,
        final_status: finished?.status ?? "still unfinished",
        final_error: finished?.error ?? null,
        files_complete: filesOk,
        file_problems: fileProblems.slice(0, 5),
        seconds_from_kill_to_done: finished ? recoveredS : null,
      },
    };
  } finally {
    await app?.stop();
    if (worker) killGroup(worker, "SIGKILL");
  }
}

/** A training run requested over HTTP; the worker training it is SIGKILLed; a new worker must finish it, registering one model version. */
async function workerKillMidTraining(databaseUrl: string, workspaceId: number) {
  const { getPool } = await import("../server/db/pool.ts");
  const { rows: admins } = await getPool().query<{ id: number; slug: string }>(
    `SELECT m.user_id AS id, w.slug FROM workspace_member m JOIN workspace w ON w.id = m.workspace_id WHERE m.workspace_id = $1 AND m.role = 'admin' ORDER BY m.user_id LIMIT 1`,
    [workspaceId],
  );
  const { id: adminId, slug } = admins[0];
  const cookie = await sessionCookie(adminId);
  const count = async (sql: string) => (await getPool().query<{ n: number }>(sql, [workspaceId])).rows[0].n;
  const versionsBefore = await count(`SELECT count(*)::int AS n FROM model_version WHERE workspace_id = $1`);
  const runsBefore = await count(`SELECT count(*)::int AS n FROM training_run WHERE workspace_id = $1`);
  const app = await startAppServer(PORTS.app, SERVER_ENV(databaseUrl), "app");
  let first: ChildProcess | undefined;
  let second: ChildProcess | undefined;
  try {
    const requested = await appRequest(app.url, cookie, "POST", `/api/w/${slug}/models/train`);
    if (requested.status !== 202) throw new Error(`POST models/train answered ${requested.status}: ${JSON.stringify(requested.json).slice(0, 300)}`);
    const runId = (requested.json as { run: { id: number } }).run.id;
    const runState = async () =>
      (
        await getPool().query<{ status: string; message: string; model_version_id: number | null }>(
          `SELECT status, message, model_version_id FROM training_run WHERE id = $1`,
          [runId],
        )
      ).rows[0];
    first = startWorkerProcess(databaseUrl);
    const atKill = await waitFor(
      120_000,
      async () => {
        const r = await runState();
        return r.status !== "queued" ? r : null;
      },
      20,
    );
    if (!atKill) throw new Error("no worker started the training run");
    killGroup(first, "SIGKILL");
    const killedAt = performance.now();
    const wasMidTraining = atKill.status === "training";
    log(`worker SIGKILLed with training run ${runId} ${atKill.status}; starting a new worker`);
    second = startWorkerProcess(databaseUrl);
    const finished = await waitFor(
      TRAINING_RECOVERY_TIMEOUT_MS,
      async () => {
        const r = await runState();
        return r.status === "done" || r.status === "failed" ? r : null;
      },
      250,
    );
    const seconds = round2((performance.now() - killedAt) / 1000);
    const versionsAdded = (await count(`SELECT count(*)::int AS n FROM model_version WHERE workspace_id = $1`)) - versionsBefore;
    const runsAdded = (await count(`SELECT count(*)::int AS n FROM training_run WHERE workspace_id = $1`)) - runsBefore;
    const { rows: jobs } = await getPool().query<{ retry_count: number; state: string }>(
      `SELECT retry_count, state::text FROM pgboss.job WHERE name = 'train-model' AND data->>'workspaceId' = $1::text ORDER BY created_on DESC LIMIT 1`,
      [String(workspaceId)],
    );
    return {
      worker_kill_mid_training_recovered:
        wasMidTraining && finished?.status === "done" && versionsAdded === 1 && runsAdded === 1 && finished.model_version_id !== null,
      detail: {
        training_run_id: runId,
        status_at_kill: atKill.status,
        killed_mid_training: wasMidTraining,
        final_status: finished?.status ?? "still unfinished",
        final_message: finished?.message ?? null,
        model_versions_registered: versionsAdded,
        training_runs_created: runsAdded,
        job_attempts: jobs[0] ? jobs[0].retry_count + 1 : null,
        seconds_from_kill_to_done: finished ? seconds : null,
      },
    };
  } finally {
    await app.stop();
    if (first) killGroup(first, "SIGKILL");
    if (second) killGroup(second, "SIGKILL");
  }
}

/** Runs a command as the postgres user (initdb and postgres refuse root). */
function runAsPostgres(argv: string[], timeoutMs = 120_000): Promise<{ code: number; output: string }> {
  const isRoot = process.getuid?.() === 0;
  const cmd = isRoot ? "runuser" : argv[0];
  const cmdArgs = isRoot ? ["-u", "postgres", "--", ...argv] : argv.slice(1);
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/**
 * PostgreSQL restarted under load, fast and immediate (a crash: recovery replays the WAL), without touching
 * the app: a private cluster (initdb into a temporary folder, its own port) so the machine's shared server
 * is left alone. 10 moderators claim and decide over HTTP against the production server throughout;
 * recovery is the time from the restart command until requests succeed again (the last failure's next
 * success), and every decision the app acknowledged must be in the database afterwards.
 */
async function pgRestartRecovery() {
  const BIN = "/usr/lib/postgresql/15/bin";
  const dir = await mkdtemp(path.join(os.tmpdir(), "modloop-faults-pgdata-"));
  const dataDir = path.join(dir, "data");
  const port = PORTS.pg;
  const { chown } = await import("node:fs/promises");
  if (process.getuid?.() === 0) {
    const { execFileSync } = await import("node:child_process");
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    await chown(dir, uid, gid);
  }
  const pgCtl = (...more: string[]) => runAsPostgres([`${BIN}/pg_ctl`, "-D", dataDir, "-w", "-t", "60", ...more]);
  const init = await runAsPostgres([`${BIN}/initdb`, "-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  if (init.code !== 0) throw new Error(`initdb failed: ${init.output.slice(-500)}`);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on`;
  const started = await pgCtl("-o", opts, "-l", path.join(dir, "log"), "start");
  if (started.code !== 0) throw new Error(`pg_ctl start failed: ${started.output.slice(-500)}`);
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const url = `postgresql://postgres@127.0.0.1:${port}/modloop_faults_pg`;
  let app: TServer | undefined;
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE modloop_faults_pg`);
    await client.end();
    const { migrate } = await import("../server/db/migrate.ts");
    await migrate(url);
    const own = new pg.Client({ connectionString: url });
    await own.connect();
    const moderators = 10;
    const data = await generateQueueData(own, { excerpts: 20_000, moderators });
    const { hashSessionToken } = await import("../server/auth/session.ts");
    const tokens = data.userIds.map(() => randomBytes(32).toString("base64url"));
    await own.query(`INSERT INTO session (id, user_id, expires_at) SELECT unnest($1::text[]), unnest($2::int[]), now() + interval '12 hours'`, [
      tokens.map(hashSessionToken),
      data.userIds,
    ]);
    const { rows: ws } = await own.query<{ slug: string }>(`SELECT slug FROM workspace WHERE id = $1`, [data.workspaceId]);
    await own.query("VACUUM ANALYZE");
    await own.end();
    const slug = ws[0].slug;
    app = await startAppServer(PORTS.pgApp, SERVER_ENV(url), "app-pg");
    const base = app.url;

    // the load: each moderator claims and decides in a loop; every answer is logged with its time
    const events: { at: number; ok: boolean; error?: string }[] = [];
    const acked: string[] = [];
    let isRunning = true;
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const moderator = async (i: number) => {
      const cookie = `modloop_session=${tokens[i]}`;
      while (isRunning) {
        try {
          const claim = await appRequest(base, cookie, "POST", `/api/w/${slug}/queue/claim`, {});
          events.push({ at: now(), ok: claim.status === 200, error: claim.status === 200 ? undefined : `claim ${claim.status}` });
          if (claim.status !== 200) {
            await sleep(50);
            continue;
          }
          const cards = (claim.json as { cards: { excerptId: string }[] }).cards;
          for (const card of cards) {
            if (!isRunning) break;
            await sleep(THINK_MS * (0.5 + Math.random()));
            const r = await appRequest(base, cookie, "POST", `/api/w/${slug}/queue/decisions`, {
              excerptId: card.excerptId,
              kind: "label",
              categoryId: data.categoryIds[Math.floor(Math.random() * data.categoryIds.length)],
              durationMs: 1500,
            });
            events.push({ at: now(), ok: r.status === 200, error: r.status === 200 ? undefined : `decision ${r.status}` });
            if (r.status === 200) acked.push((r.json as { decisionId: string }).decisionId);
          }
        } catch (err) {
          events.push({ at: now(), ok: false, error: (err as Error).message });
          await sleep(50);
        }
      }
    };
    const load = Promise.all(Array.from({ length: moderators }, (_, i) => moderator(i)));
    const restarts: {
      mode: string;
      pg_ctl_seconds: number;
      recovery_s: number | null;
      app_recovery_after_pg_ready_s: number | null;
      failed_requests: number;
      requests_after: number;
      first_error: string | null;
    }[] = [];
    for (const mode of ["fast", "immediate"]) {
      await sleep(PG_SETTLE_MS);
      const issuedAt = now();
      const restarted = await pgCtl("-o", opts, "-l", path.join(dir, "log"), "-m", mode, "restart");
      const pgCtlSeconds = round2((now() - issuedAt) / 1000);
      if (restarted.code !== 0) throw new Error(`pg_ctl restart -m ${mode} failed: ${restarted.output.slice(-500)}`);
      log(`PostgreSQL restarted (-m ${mode}) in ${pgCtlSeconds} s under load`);
      await sleep(PG_SETTLE_MS);
      const window = events.filter((e) => e.at >= issuedAt);
      const failures = window.filter((e) => !e.ok);
      const lastFailure = failures.at(-1);
      const firstOkAfter = lastFailure ? window.find((e) => e.ok && e.at > lastFailure.at) : window.find((e) => e.ok);
      restarts.push({
        mode,
        pg_ctl_seconds: pgCtlSeconds,
        recovery_s: firstOkAfter ? round2(lastFailure ? (firstOkAfter.at - issuedAt) / 1000 : 0) : null,
        // the part of it that is the app's, not PostgreSQL's own shutdown, crash recovery and start
        app_recovery_after_pg_ready_s: firstOkAfter ? round2(Math.max(0, (lastFailure ? firstOkAfter.at - issuedAt : 0) / 1000 - pgCtlSeconds)) : null,
        failed_requests: failures.length,
        requests_after: window.filter((e) => e.ok && (!lastFailure || e.at > lastFailure.at)).length,
        first_error: failures[0]?.error ?? null,
      });
    }
    isRunning = false;
    await load;
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    const ids = [...new Set(acked)];
    const { rows: found } = await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM decision WHERE id = ANY ($1::bigint[])`, [ids]);
    await check.end();
    const recoveries = restarts.map((r) => r.recovery_s);
    return {
      pg_restart_recovery_s: recoveries.every((r) => r !== null) ? Math.max(...(recoveries as number[])) : null,
      detail: {
        cluster: `private (initdb), port ${port}, fsync on`,
        moderators,
        restarts,
        decisions_acknowledged: ids.length,
        acknowledged_decisions_lost: ids.length - found[0].n,
        requests: events.length,
      },
    };
  } finally {
    await client.end().catch(() => {});
    await app?.stop();
    await pgCtl("-m", "immediate", "stop");
    await rm(dir, { recursive: true, force: true });
  }
}

/** Generated histories through the app's write paths, then the label-rule audit. */
async function labelRule() {
  const { getPool, closePools } = await import("../server/db/pool.ts");
  const { generateHistory, historyRandom } = await import("../lib/labels/decision-histories.ts");
  const { seedQueueFixture } = await import("../server/queue/queue-fixtures.ts");
  const { forgetQueueSettings } = await import("../server/queue/get-queue-settings.ts");
  const { replayHistories } = await import("../server/labels/replay-history.ts");
  const { findLabelMismatches } = await import("../server/labels/find-label-mismatches.ts");
  // Histories are independent: LANES of them at a time, each lane with moderators of its own (undo
  // reverses a moderator's latest decision), over a pool with a connection per lane (an overlap step
  // holds two at once).
  const LANES = Number(process.env.FAULTS_LABEL_LANES ?? 32);
  const USERS_PER_LANE = 3;
  await closePools();
  const poolMax = process.env.MODLOOP_POOL_MAX;
  const databaseUrl = process.env.DATABASE_URL!;
  process.env.MODLOOP_POOL_MAX = String(2 * LANES + 4);
  // Commits here need not wait for the WAL flush: what is checked is which label the app caches, not
  // what survives a crash (the other parts check that with synchronous commits).
  const url = new URL(databaseUrl);
  url.searchParams.set("options", "-c synchronous_commit=off");
  process.env.DATABASE_URL = url.toString();
  try {
    const setupStartedAt = performance.now();
    const fx = await seedQueueFixture({ excerpts: HISTORIES, users: LANES * USERS_PER_LANE, randomShare: 0, slug: "faults-labels" });
    forgetQueueSettings();
    await getPool().query(`UPDATE app_user SET is_senior = true WHERE id = ANY($1::int[])`, [fx.userIds]);
    await getPool().query(`UPDATE queue_item SET required_reviews = 2 WHERE workspace_id = $1 AND excerpt_id % 4 = 0`, [fx.workspaceId]);
    await getPool().query("VACUUM ANALYZE");
    const setupSeconds = round2((performance.now() - setupStartedAt) / 1000);
    const { rows: cats } = await getPool().query<{ id: number; name: string }>(
      `SELECT id, name FROM category WHERE workspace_id = $1 AND is_active ORDER BY sort_order`,
      [fx.workspaceId],
    );
    const rand = historyRandom(13);
    const categoryIds = cats.map((c) => c.id);
    const categoryNames = cats.map((c) => c.name);
    const histories = fx.excerptIds.map((excerptId, i) => {
      const lane = i % LANES;
      return {
        target: {
          workspaceId: fx.workspaceId,
          excerptId,
          userIds: fx.userIds.slice(lane * USERS_PER_LANE, (lane + 1) * USERS_PER_LANE),
          categoryIds,
          categoryNames,
        },
        steps: generateHistory(rand, { users: USERS_PER_LANE, categories: cats.length, maxSteps: 7, canRedo: false }),
      };
    });
    log(`replaying ${HISTORIES.toLocaleString()} generated decision histories through the app's write paths, ${LANES} at a time`);
    const startedAt = performance.now();
    // a history runs on its own lane's moderators, so two histories of one lane never run at once
    const byLane = Array.from({ length: LANES }, (_, lane) => histories.filter((_h, i) => i % LANES === lane));
    let done = 0;
    await Promise.all(
      byLane.map((laneHistories) =>
        replayHistories(laneHistories, {
          concurrency: 1,
          onProgress: () => {
            done += 1000;
            if (done % 10_000 === 0) log(`  ${done.toLocaleString()} histories`);
          },
        }),
      ),
    );
    const replaySeconds = round2((performance.now() - startedAt) / 1000);
    const checkStartedAt = performance.now();
    const { excerpts, mismatches } = await findLabelMismatches({ workspaceId: fx.workspaceId });
    const { rows: decisions } = await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM decision WHERE workspace_id = $1`, [fx.workspaceId]);
    return {
      label_rule_mismatches: mismatches.length,
      detail: {
        histories: HISTORIES,
        excerpts_with_decisions: excerpts,
        decision_rows: decisions[0].n,
        concurrent_histories: LANES,
        setup_seconds: setupSeconds,
        replay_seconds: replaySeconds,
        check_seconds: round2((performance.now() - checkStartedAt) / 1000),
        first_mismatches: mismatches.slice(0, 3),
      },
    };
  } finally {
    await closePools();
    process.env.DATABASE_URL = databaseUrl;
    if (poolMax === undefined) delete process.env.MODLOOP_POOL_MAX;
    else process.env.MODLOOP_POOL_MAX = poolMax;
  }
}

async function main() {
  tmp = await mkdtemp(path.join(os.tmpdir(), "modloop-faults-"));
  const load1AtStart = round2(os.loadavg()[0]);
  const bench = await createBenchDatabase(`modloop_bench_faults_${randomBytes(3).toString("hex")}`);
  const client = new pg.Client({ connectionString: bench.url });
  await client.connect();
  let failed = false;
  try {
    process.env.MODLOOP_EXPORT_DIR = path.join(tmp, "snapshots");
    if (args.only) {
      const afterWorker = async (then: (workspaceId: number) => Promise<unknown>) => then((await workerKillResume(bench.url)).workspaceId);
      const parts: Record<string, () => Promise<unknown>> = {
        decisions: () => decisionsUnderDroppedAnswers(client, bench.url),
        worker: () => workerKillResume(bench.url),
        snapshot: () => afterWorker((id) => webKillMidSnapshot(bench.url, id)),
        training: () => afterWorker((id) => workerKillMidTraining(bench.url, id)),
        labels: labelRule,
        pg: pgRestartRecovery,
      };
      if (!parts[args.only]) throw new Error(`--only: one of ${Object.keys(parts).join(", ")}`);
      log(JSON.stringify(await parts[args.only]()));
      const { closePools } = await import("../server/db/pool.ts");
      await closePools();
      return;
    }
    const startedAt = performance.now();
    // A small run (CI) restarts its private PostgreSQL alongside the other parts, which mostly wait for a
    // dead worker's job to be taken over; a full run restarts it on its own, so its timing is its own.
    const restartAlongside = isSmall
      ? pgRestartRecovery().then(
          (r) => ({ r }),
          (e: unknown) => ({ e }),
        )
      : null;
    const decisions = await decisionsUnderDroppedAnswers(client, bench.url);
    log(JSON.stringify(decisions));
    const worker = await workerKillResume(bench.url);
    log(JSON.stringify(worker));
    const snapshot = await webKillMidSnapshot(bench.url, worker.workspaceId);
    log(JSON.stringify(snapshot));
    const training = await workerKillMidTraining(bench.url, worker.workspaceId);
    log(JSON.stringify(training));
    const alongside = await restartAlongside;
    if (alongside && "e" in alongside) throw alongside.e;
    const restart = alongside ? alongside.r : await pgRestartRecovery();
    log(JSON.stringify(restart));
    const labels = await labelRule();
    log(JSON.stringify({ ...labels, detail: { ...labels.detail, first_mismatches: labels.detail.first_mismatches.length } }));
    const { closePools } = await import("../server/db/pool.ts");
    await closePools();

    const result = {
      size: isSmall ? "small" : "full",
      acknowledged_decisions_lost: decisions.acknowledged_decisions_lost,
      duplicate_decisions_from_retries: decisions.duplicate_decisions_from_retries,
      worker_kill_resume_s: worker.worker_kill_resume_s,
      label_rule_mismatches: labels.label_rule_mismatches,
      web_kill_mid_snapshot_recovered: snapshot.web_kill_mid_snapshot_recovered,
      worker_kill_mid_training_recovered: training.worker_kill_mid_training_recovered,
      pg_restart_recovery_s: restart.pg_restart_recovery_s,
      notes: {
        pg_restart_recovery_s:
          "on a private PostgreSQL cluster (initdb into a temporary folder, its own port), restarted with pg_ctl -m fast and -m immediate under load; " +
          "the figure is the slower of the two: seconds from the restart command until requests succeed again, the app untouched",
        label_rule_mismatches:
          "histories replayed through the app's write paths (queue decisions, undo, adjudication, importer), independent histories concurrently " +
          "(each lane its own moderators), the leading imported labels of all histories batched into one import file per moderator; " +
          "commits without waiting for the WAL flush (synchronous_commit off for this part only: the label rule is checked, not durability)",
      },
      label_rule_histories: HISTORIES,
      label_replay_seconds: labels.detail.replay_seconds,
      goals: GOALS,
      // the numeric goals as the README's benchmark table reads them (scripts/bench-readme.ts)
      targets: Object.fromEntries(Object.entries(GOALS).filter(([, v]) => typeof v === "number")),
      goal_met: {
        acknowledged_decisions_lost: decisions.acknowledged_decisions_lost === 0,
        duplicate_decisions_from_retries: decisions.duplicate_decisions_from_retries === 0,
        worker_kill_resume_s: worker.worker_kill_resume_s !== null && worker.worker_kill_resume_s <= GOALS.worker_kill_resume_s && worker.detail.killed_mid_job,
        // the goal is over 100,000 histories: a full run over fewer (--histories) has not shown it
        label_rule_mismatches: labels.label_rule_mismatches === 0 && (isSmall || HISTORIES >= 100_000),
        web_kill_mid_snapshot_recovered: snapshot.web_kill_mid_snapshot_recovered,
        worker_kill_mid_training_recovered: training.worker_kill_mid_training_recovered,
        pg_restart_recovery_s:
          restart.pg_restart_recovery_s !== null &&
          restart.pg_restart_recovery_s <= GOALS.pg_restart_recovery_s &&
          restart.detail.acknowledged_decisions_lost === 0,
      },
      meets_targets: false,
      decisions: { moderators: MODERATORS, planned_seconds: SECONDS, think_ms: THINK_MS, drop_rate: DROP_RATE, ...decisions.load, ...decisions.detail },
      worker_kill: worker.detail,
      label_rule: labels.detail,
      snapshot_kill: snapshot.detail,
      training_kill: training.detail,
      pg_restart: restart.detail,
      total_seconds: round2((performance.now() - startedAt) / 1000),
      machine: { cpus: os.cpus().length, node: process.version, load1_at_start: load1AtStart, load1_at_end: round2(os.loadavg()[0]), postgres_same_host: true },
      measured_at: new Date().toISOString(),
    };
    result.meets_targets = Object.values(result.goal_met).every((ok) => ok === true);
    console.log(JSON.stringify(result, null, 2));
    await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
    const outFile = path.join(ROOT, "bench/results", isSmall ? "faults.small.json" : "faults.json");
    await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${path.relative(ROOT, outFile)}`);
    // A small run (CI) checks correctness, not timing: on a shared, loaded machine the resume takes the
    // lease's ~20 s plus a cold worker's start, and a restart's recovery competes with everything else
    // on the cores, so their goals are judged on the full run only (a small run still needs them to recover).
    const timedOnlyInFull = new Set(["worker_kill_resume_s", "pg_restart_recovery_s"]);
    const failures = Object.entries(result.goal_met)
      .filter(([k, ok]) => ok === false && !(isSmall && timedOnlyInFull.has(k)))
      .map(([k]) => k);
    if (restart.pg_restart_recovery_s === null) failures.push("requests did not succeed again after a PostgreSQL restart");
    if (restart.detail.acknowledged_decisions_lost !== 0) failures.push("decisions acknowledged around a PostgreSQL restart were lost");
    if (!worker.detail.killed_mid_job) failures.push("the worker was not killed in the middle of its scoring job");
    if (worker.worker_kill_resume_s === null) failures.push("scoring did not complete after the worker was killed");
    if (decisions.load.decisions_acknowledged === 0) failures.push("no decisions were acknowledged");
    if (decisions.load.responses_dropped_after_answer === 0) failures.push("the proxy dropped no answers: nothing was retried");
    if (failures.length > 0) {
      console.error(`FAILED: ${failures.join(", ")}`);
      failed = true;
    }
  } finally {
    await client.end().catch(() => {});
    if (!args["keep-db"]) await bench.drop();
    await rm(tmp, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

await main();
