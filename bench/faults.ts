/**
 * Fault suite (issue 13): what a crash, a lost answer or a restart does to the data, on real PostgreSQL
 * (its own database, created, then dropped) with the app served as in production (`next build` +
 * `next start`) and load from a separate process (bench/lib/faults-load.ts).
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
 *       (server/labels/replay-history.ts), then findLabelMismatches: the cached label against lib/labels.
 *   web_kill_mid_snapshot_recovered, worker_kill_mid_training_recovered, pg_restart_recovery_s
 *       not measured by this program yet: null with a note (see `notes`).
 *
 * Writes bench/results/faults.json (BENCH_SIZE=small → faults.small.json).
 *   npx tsx bench/faults.ts [--moderators N] [--seconds N] [--histories N] [--score-excerpts N] [--keep-db] [--only decisions|worker|labels]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createBenchDatabase } from "./lib/bench-database.ts";
import type { TFaultsLoadConfig, TFaultsLoadResult } from "./lib/faults-load.ts";
import { ensureNextBuild, startNextServer, type TServer } from "./lib/next-server.ts";
import { generateQueueData } from "./lib/queue-data.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const isSmall = process.env.BENCH_SIZE === "small";
const { values: args } = parseArgs({
  options: {
    moderators: { type: "string" },
    seconds: { type: "string" },
    histories: { type: "string" },
    "score-excerpts": { type: "string" },
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
const PORTS = { app: Number(process.env.BENCH_PORT ?? 3800), proxy: Number(process.env.BENCH_PORT ?? 3800) + 1 };
const GOALS = { acknowledged_decisions_lost: 0, duplicate_decisions_from_retries: 0, worker_kill_resume_s: 30, label_rule_mismatches: 0 };

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
    app = await startNextServer(".", PORTS.app, serverEnv, "app");
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
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  child.stderr!.on("data", (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d}`));
  return child;
}

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
         WHERE w.id = $1 AND NOT EXISTS (SELECT 1 FROM prediction p WHERE p.excerpt_id = e.id AND p.model_version_id = w.active_model_version_id)`,
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
    const leftAtKill = await unscored();
    log(`worker SIGKILLed with ${leftAtKill.toLocaleString()} of ${before.toLocaleString()} excerpts unscored; starting a new worker`);
    second = startWorkerProcess(databaseUrl);
    const deadline = Date.now() + 180_000;
    let remaining = leftAtKill;
    while (Date.now() < deadline && remaining > 0) {
      await sleep(200);
      remaining = await unscored();
    }
    const resumeS = remaining === 0 ? round2((performance.now() - killedAt) / 1000) : null;
    return {
      worker_kill_resume_s: resumeS,
      detail: { excerpts: before, unscored_at_kill: leftAtKill, killed_mid_job: leftAtKill > 0 && leftAtKill < before, unscored_at_end: remaining },
    };
  } finally {
    killGroup(first, "SIGKILL");
    if (second) killGroup(second, "SIGTERM");
    await sleep(500);
    if (second) killGroup(second, "SIGKILL");
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
  const LANES = Number(process.env.FAULTS_LABEL_LANES ?? 24);
  const USERS_PER_LANE = 3;
  await closePools();
  const poolMax = process.env.MODLOOP_POOL_MAX;
  process.env.MODLOOP_POOL_MAX = String(2 * LANES + 4);
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
    if (poolMax === undefined) delete process.env.MODLOOP_POOL_MAX;
    else process.env.MODLOOP_POOL_MAX = poolMax;
  }
}

async function main() {
  tmp = await mkdtemp(path.join(os.tmpdir(), "modloop-faults-"));
  const bench = await createBenchDatabase(`modloop_bench_faults_${randomBytes(3).toString("hex")}`);
  const client = new pg.Client({ connectionString: bench.url });
  await client.connect();
  let failed = false;
  try {
    if (args.only) {
      const parts: Record<string, () => Promise<unknown>> = {
        decisions: () => decisionsUnderDroppedAnswers(client, bench.url),
        worker: () => workerKillResume(bench.url),
        labels: labelRule,
      };
      if (!parts[args.only]) throw new Error(`--only: one of ${Object.keys(parts).join(", ")}`);
      log(JSON.stringify(await parts[args.only]()));
      const { closePools } = await import("../server/db/pool.ts");
      await closePools();
      return;
    }
    const decisions = await decisionsUnderDroppedAnswers(client, bench.url);
    log(JSON.stringify(decisions));
    const worker = await workerKillResume(bench.url);
    log(JSON.stringify(worker));
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
      web_kill_mid_snapshot_recovered: null,
      worker_kill_mid_training_recovered: null,
      pg_restart_recovery_s: null,
      pg_restart_note:
        "not measured: the machine's PostgreSQL is shared with other engineers' tests and servers, so restarting it is not safe here; " +
        "needs a PostgreSQL of its own (e.g. a throwaway cluster by initdb on another port).",
      notes: {
        web_kill_mid_snapshot_recovered:
          "not measured yet by this program (null, not false). server/worker/restart-safety.test.ts covers a dead worker's snapshot job being taken over.",
        worker_kill_mid_training_recovered:
          "not measured yet by this program (null, not false). server/worker/restart-safety.test.ts covers a dead worker's training job being taken over within 60 s.",
      },
      goals: GOALS,
      goal_met: {
        acknowledged_decisions_lost: decisions.acknowledged_decisions_lost === 0,
        duplicate_decisions_from_retries: decisions.duplicate_decisions_from_retries === 0,
        worker_kill_resume_s: worker.worker_kill_resume_s !== null && worker.worker_kill_resume_s <= GOALS.worker_kill_resume_s && worker.detail.killed_mid_job,
        // the goal is over 100,000 histories: a full run over fewer (--histories) has not shown it
        label_rule_mismatches: labels.label_rule_mismatches === 0 && (isSmall || HISTORIES >= 100_000),
        web_kill_mid_snapshot_recovered: null,
        worker_kill_mid_training_recovered: null,
        pg_restart_recovery_s: null,
      },
      decisions: { moderators: MODERATORS, planned_seconds: SECONDS, think_ms: THINK_MS, drop_rate: DROP_RATE, ...decisions.load, ...decisions.detail },
      worker_kill: worker.detail,
      label_rule: labels.detail,
      machine: { cpus: os.cpus().length, node: process.version, load1_at_end: round2(os.loadavg()[0]), postgres_same_host: true },
      measured_at: new Date().toISOString(),
    };
    console.log(JSON.stringify(result, null, 2));
    await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
    const outFile = path.join(ROOT, "bench/results", isSmall ? "faults.small.json" : "faults.json");
    await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${path.relative(ROOT, outFile)}`);
    // A small run (CI) checks correctness, not timing: on a shared, loaded machine the resume takes the
    // lease's ~20 s plus a cold worker's start, so its 30 s goal is judged on the full run only.
    const failures = Object.entries(result.goal_met)
      .filter(([k, ok]) => ok === false && !(isSmall && k === "worker_kill_resume_s"))
      .map(([k]) => k);
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
