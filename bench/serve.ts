/**
 * Machine API benchmark (issue 11): the real `npm run api` process on its own PostgreSQL database, the
 * default model trained on the demo workspace's game chat, storage on, load from a separate process
 * (bench/lib/load-generator.ts: closed loop, keep-alive sockets).
 *
 *   classify_single_rps / _p99_ms        one text per request                 (≥ 2,000 with p99 ≤ 50 ms)
 *   classify_batch_excerpts_per_s        100 texts per request                 (≥ 30,000)
 *   classify_batch_store_off_…           the same with "store": false (what the API itself answers)
 *   perspective_rps / _p99_ms            comments:analyze, TOXICITY
 *   ratio_to_raw_node                    classify single ÷ a bare node:http + onnxruntime-node server
 *                                        scoring the same texts with the same model: 5 interleaved
 *                                        pairs of 10 s runs, the median ratio (the classify_single_*
 *                                        figures are the medians of the same runs)                (≥ 0.5)
 *   stored_lost_on_kill                  texts answered 200 with storage on, then missing after a
 *                                        SIGKILL of the API mid-load (bound: MODLOOP_API_STORE_MAX_PENDING)
 *   stored_missing_after_sigterm         the same after a graceful stop: must be 0
 *
 * Writes bench/results/serve.json (BENCH_SIZE=small → serve.small.json, for CI correctness only).
 *   npx tsx bench/serve.ts [--seconds 20] [--connections 64] [--repeats 2]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateDemoChat } from "../lib/demo/generate-demo-chat.ts";
import { createApiKey } from "../server/api-keys/create-api-key.ts";
import { closePools, getPool } from "../server/db/pool.ts";
import { seedDemoWorkspace } from "../server/demo/seed-demo-workspace.ts";
import { releaseModelSessions } from "../server/model/load-model-session.ts";
import { startApiProcess, type TApiProcess } from "../server/serving/api-test-harness.ts";
import { freePort } from "../server/test/free-port.ts";
import { createBenchDatabase } from "./lib/bench-database.ts";
import type { TLoadConfig, TLoadResult } from "./lib/load-generator.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const isSmall = process.env.BENCH_SIZE === "small";
const { values: args } = parseArgs({ options: { seconds: { type: "string" }, connections: { type: "string" }, repeats: { type: "string" } } });
const SECONDS = Number(args.seconds ?? (isSmall ? 2 : 20));
const CONNECTIONS = Number(args.connections ?? (isSmall ? 8 : 64));
const REPEATS = Number(args.repeats ?? (isSmall ? 1 : 5));
// raw/API pairs are shorter, so each pair sees the same machine load (it changes by the minute when shared)
const PAIR_SECONDS = Math.max(1, Math.round(SECONDS / 2));
const WARMUP_MS = isSmall ? 500 : 3000;
const BATCH = 100;
const MAX_PENDING = 10_000;
const TARGETS = { classify_single_rps: 2000, classify_single_p99_ms: 50, classify_batch_excerpts_per_s: 30_000, ratio_to_raw_node: 0.5 };

const log = (m: string) => console.log(`[serve] ${m}`);
let tmp = "";

async function load(
  config: Omit<TLoadConfig, "host" | "durationMs" | "warmupMs" | "connections"> & { port: number },
  opts: { killAfterMs?: number; kill?: () => Promise<void>; seconds?: number } = {},
): Promise<TLoadResult> {
  const file = path.join(tmp, `load-${randomBytes(4).toString("hex")}.json`);
  const full: TLoadConfig = { host: "127.0.0.1", durationMs: (opts.seconds ?? SECONDS) * 1000, warmupMs: WARMUP_MS, connections: CONNECTIONS, ...config };
  await writeFile(file, JSON.stringify(full));
  const child = spawn(process.execPath, ["--import", "tsx", "bench/lib/load-generator.ts", file], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (opts.killAfterMs !== undefined) {
    await new Promise((r) => setTimeout(r, opts.killAfterMs));
    await opts.kill!();
  }
  const code = await exited;
  if (code !== 0) throw new Error(`the load generator exited with ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as TLoadResult;
}

function startRawServer(databaseUrl: string, modelVersionId: number, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/lib/raw-onnx-server.ts", databaseUrl, String(modelVersionId), String(port)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`the raw server exited with ${code}`)));
  });
}

async function main() {
  tmp = await mkdtemp(path.join(os.tmpdir(), "modloop-serve-bench-"));
  const db = await createBenchDatabase(`modloop_bench_serve_${randomBytes(3).toString("hex")}`);
  const processes: ChildProcess[] = [];
  let api: TApiProcess | null = null;
  try {
    log("seeding the demo workspace and training the default model");
    const seeded = await seedDemoWorkspace({ conversations: isSmall ? 30 : 120, hasReviewHistory: false });
    const { rows } = await getPool().query<{ active_model_version_id: number; slug: string }>(
      `SELECT active_model_version_id, slug FROM workspace WHERE id = $1`,
      [seeded.workspaceId],
    );
    const modelVersionId = rows[0].active_model_version_id;
    const key = (await createApiKey({ workspaceId: seeded.workspaceId, input: { name: "bench", scopes: ["classify", "ingest", "decisions:read"] } })).key;
    // live game chat the model has not seen: another seed of the generator
    const texts = generateDemoChat({ seed: 4242, conversations: isSmall ? 60 : 1500 }).map((l) => l.text);
    log(`${texts.length} chat lines to send, ${CONNECTIONS} connections, ${SECONDS} s per run, machine load ${os.loadavg()[0].toFixed(1)}`);
    const loadBefore = os.loadavg()[0];
    await releaseModelSessions();

    api = await startApiProcess({ databaseUrl: db.url, env: { MODLOOP_API_STORE_MAX_PENDING: String(MAX_PENDING) } });
    const rawPort = await freePort();
    processes.push(await startRawServer(db.url, modelVersionId, rawPort));
    const auth = { authorization: `Bearer ${key}` };
    let acked = 0;

    // interleaved: raw, API, raw, API, … so both see the same machine load
    const ratios: number[] = [];
    const singles: TLoadResult[] = [];
    const raws: TLoadResult[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const raw = await load({ port: rawPort, path: "/", headers: {}, kind: "raw", batch: 1, texts }, { seconds: PAIR_SECONDS });
      raws.push(raw);
      const single = await load(
        { port: api.port, path: "/api/v1/classify", headers: auth, kind: "classify", batch: 1, texts, idPrefix: `single-${i}-` },
        { seconds: PAIR_SECONDS },
      );
      singles.push(single);
      acked += single.acked_texts;
      ratios.push(single.rps / raw.rps);
      log(
        `raw ${raw.rps}/s p99 ${raw.p99_ms} ms · classify single ${single.rps}/s p99 ${single.p99_ms} ms (${Object.entries(single.statuses)
          .map(([s, n]) => `${s}×${n}`)
          .join(", ")}) · ratio ${(single.rps / raw.rps).toFixed(2)}`,
      );
    }
    const batch = await load({ port: api.port, path: "/api/v1/classify", headers: auth, kind: "classify", batch: BATCH, texts, idPrefix: "batch-" });
    acked += batch.acked_texts;
    log(`classify batch of ${BATCH}: ${batch.texts_per_s} texts/s, ${batch.rps} requests/s, p99 ${batch.p99_ms} ms`);
    // the same without storage: what the API answers when PostgreSQL's insert rate is not the limit
    const batchOff = await load({ port: api.port, path: "/api/v1/classify", headers: auth, kind: "classify", batch: BATCH, texts, isStoreOff: true });
    log(`classify batch of ${BATCH}, store: false: ${batchOff.texts_per_s} texts/s, p99 ${batchOff.p99_ms} ms`);
    const perspective = await load({ port: api.port, path: `/v1alpha1/comments:analyze?key=${key}`, headers: {}, kind: "perspective", batch: 1, texts });
    log(`comments:analyze: ${perspective.rps}/s p99 ${perspective.p99_ms} ms`);

    // graceful stop: everything answered with storage on is stored
    await api.stop();
    api = null;
    const { rows: stored } = await getPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM excerpt WHERE external_id LIKE 'single-%' OR external_id LIKE 'batch-%'`,
    );
    const missingAfterSigterm = acked - stored[0].n;
    log(`after SIGTERM: ${stored[0].n} of ${acked} acknowledged texts stored`);

    // hard kill mid-load: what was acknowledged but not yet written is lost, at most the store's bound
    const victim = await startApiProcess({ databaseUrl: db.url, env: { MODLOOP_API_STORE_MAX_PENDING: String(MAX_PENDING) } });
    // one answered request first, so the kill lands on a process that is serving, not still loading the model
    await fetch(`${victim.url}/api/v1/classify`, { method: "POST", headers: auth, body: JSON.stringify({ texts: ["warm up"], store: false }) });
    const ackFile = path.join(tmp, "acked.txt");
    const killAfterMs = WARMUP_MS + (SECONDS * 1000) / 2;
    const killRun = await load(
      { port: victim.port, path: "/api/v1/classify", headers: auth, kind: "classify", batch: 1, texts, idPrefix: "kill-", ackFile },
      { killAfterMs, kill: () => victim.kill() },
    );
    const ackedIds = (await readFile(ackFile, "utf8")).split("\n").filter(Boolean);
    const { rows: present } = await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM excerpt WHERE external_id = ANY ($1::text[])`, [ackedIds]);
    const lostOnKill = ackedIds.length - present[0].n;
    log(
      `SIGKILL after ${killAfterMs} ms: ${ackedIds.length} texts acknowledged, ${lostOnKill} not stored (bound ${MAX_PENDING}); ${killRun.rps}/s before the kill`,
    );

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const bestSingle = singles.reduce((a, b) => (b.rps > a.rps ? b : a));
    const result = {
      classify_single_rps: median(singles.map((s) => s.rps)),
      classify_single_p99_ms: median(singles.map((s) => s.p99_ms)),
      classify_single_p50_ms: median(singles.map((s) => s.p50_ms)),
      classify_single_best_rps: bestSingle.rps,
      classify_batch_excerpts_per_s: batch.texts_per_s,
      classify_batch_p99_ms: batch.p99_ms,
      classify_batch_store_off_excerpts_per_s: batchOff.texts_per_s,
      classify_batch_store_off_p99_ms: batchOff.p99_ms,
      perspective_rps: perspective.rps,
      perspective_p99_ms: perspective.p99_ms,
      raw_node_rps: median(raws.map((r) => r.rps)),
      raw_node_p99_ms: median(raws.map((r) => r.p99_ms)),
      ratio_to_raw_node: Math.round(median(ratios) * 1000) / 1000,
      ratio_runs: ratios.map((r) => Math.round(r * 1000) / 1000),
      stored_lost_on_kill: lostOnKill,
      acknowledged_before_kill: ackedIds.length,
      stored_lost_bound: MAX_PENDING,
      stored_missing_after_sigterm: missingAfterSigterm,
      non_200_answers: [...singles, batch, batchOff, perspective].reduce((n, r) => n + r.requests - (r.statuses["200"] ?? 0), 0),
      connections: CONNECTIONS,
      seconds_per_run: SECONDS,
      seconds_per_ratio_run: PAIR_SECONDS,
      texts: texts.length,
      model: "default hashed-linear model trained on the demo workspace's game chat",
      targets: TARGETS,
      meets_targets:
        median(singles.map((s) => s.rps)) >= TARGETS.classify_single_rps &&
        median(singles.map((s) => s.p99_ms)) <= TARGETS.classify_single_p99_ms &&
        batch.texts_per_s >= TARGETS.classify_batch_excerpts_per_s &&
        median(ratios) >= TARGETS.ratio_to_raw_node,
      machine: `${os.cpus().length} cores shared with PostgreSQL, the load generator and other work (load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after), Node ${process.version}`,
      path: `npm run api (one process) ← ${CONNECTIONS} keep-alive connections from a separate load-generator process; storage on (live store: one statement per flush every 20 ms, bound ${MAX_PENDING} pending); raw = bare node:http + onnxruntime-node, same model and texts, in ${REPEATS} pairs of ${PAIR_SECONDS} s runs interleaved with the API's single-text runs (figures: medians)`,
      size: isSmall ? "small" : "full",
      measured_at: new Date().toISOString(),
    };
    if (result.stored_missing_after_sigterm !== 0)
      throw new Error(`${result.stored_missing_after_sigterm} acknowledged texts were not stored after a graceful stop`);
    if (result.stored_lost_on_kill > MAX_PENDING) throw new Error(`the kill lost ${result.stored_lost_on_kill} texts, more than the bound of ${MAX_PENDING}`);
    if (result.non_200_answers > 0) throw new Error(`${result.non_200_answers} requests were not answered 200`);
    await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
    const out = path.join(ROOT, `bench/results/serve${isSmall ? ".small" : ""}.json`);
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${path.relative(ROOT, out)}`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    if (api) await api.kill();
    for (const p of processes) if (p.exitCode === null) p.kill("SIGKILL");
    await releaseModelSessions();
    await closePools();
    await db.drop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
