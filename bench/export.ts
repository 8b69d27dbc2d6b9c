/**
 * Export benchmark: bulk-generates labelled excerpts in a fresh PostgreSQL database by SQL
 * (1,000,000; BENCH_SIZE=small → 20,000): conversations of 8 lines, repeated lines across
 * conversations, 1–3 moderator votes, undone labels, audit and held-out rows, model suggestions.
 * Then builds three snapshots, one format each (JSONL, Parquet, Hugging Face folder), each in its own
 * child process so `peak_rss_mb` is the exporting process alone (its maxRSS). Writes
 * bench/results/export.json. Targets: jsonl_seconds ≤ 20, parquet_seconds ≤ 30, hf_folder_seconds ≤ 30,
 * peak_rss_mb ≤ 256.
 *
 *   npx tsx bench/export.ts [--rows N] [--keep-db]        BENCH_SIZE=small for CI
 */
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createBenchDatabase } from "./lib/bench-database.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    rows: { type: "string" },
    child: { type: "string" },
    "keep-db": { type: "boolean", default: false },
    // for profiling: fill the database and stop (implies --keep-db)
    "generate-only": { type: "boolean", default: false },
  },
});

// ---------- child: one snapshot job ----------
if (args.child) {
  const { runSnapshotJob } = await import("../server/export/run-snapshot-job.ts");
  const { closePools } = await import("../server/db/pool.ts");
  const snapshotId = Number(args.child);
  const startedAt = performance.now();
  const manifest = await runSnapshotJob({ snapshotId });
  const seconds = (performance.now() - startedAt) / 1000;
  await closePools();
  process.stdout.write(
    `${JSON.stringify({ seconds, rows: manifest.counts.rows, bySplit: manifest.counts.bySplit, files: manifest.files, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
  process.exit(0);
}

// ---------- parent ----------
const isSmall = process.env.BENCH_SIZE === "small";
const rows = Number(args.rows ?? (isSmall ? 20_000 : 1_000_000));
const isFull = !isSmall && rows === 1_000_000;
const dbName = `modloop_bench_export_${isSmall ? "small" : "full"}`;
const exportDir = path.join(ROOT, "bench/tmp/export");
const CHILD_NODE_FLAGS = ["--max-old-space-size=128"];

const db = await createBenchDatabase(dbName);
const dbUrl = db.url;

const client = new pg.Client({ connectionString: dbUrl });
await client.connect();
const genStarted = performance.now();
console.log(`generating ${rows.toLocaleString()} labelled excerpts in ${dbName} …`);
await client.query(`
  INSERT INTO workspace (id, slug, name) VALUES (1, 'bench', 'Export bench');
  INSERT INTO category (workspace_id, name, sort_order, is_non_toxic, hotkey)
  SELECT 1, name, ord - 1, ord = 1, ord FROM unnest(ARRAY['non-toxic','harassment','profanity','hate speech','threat','spam']) WITH ORDINALITY AS t(name, ord);
  INSERT INTO app_user (email, name, password_hash, role) SELECT 'mod' || g || '@bench.test', 'Mod ' || g, 'x', 'moderator' FROM generate_series(1, 20) g;
  INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx) VALUES (1, 'linear-bench-1', 'hashed-linear', 'active', '{}', '\\x00'), (1, 'linear-bench-2', 'hashed-linear', 'candidate', '{}', '\\x00');
`);
// Texts from word lists: a handful of very common lines repeat across conversations (as in real chat).
await client.query(
  `
  INSERT INTO excerpt (id, workspace_id, dedup_key, text, source, game, channel, conversation_id, speaker_id, occurred_at, held_out, current_category_id)
  SELECT g, 1, 'b' || g,
    CASE WHEN g % 20 = 0 THEN (ARRAY['gg ez','noob team','gg wp','report him','lol'])[1 + (g / 20) % 5]
         ELSE (ARRAY['you','this','that','my','your','our','the','what','why','lol'])[1 + (g * 7) % 10] || ' ' ||
              (ARRAY['team','support','jungler','mid','carry','idiot','noob','player','guy','tank'])[1 + (g * 13) % 10] || ' ' ||
              (ARRAY['is','was','plays','feeds','throws','sucks','wins','loses','rocks','needs'])[1 + (g * 31) % 10] || ' ' ||
              (ARRAY['again','trash','so bad','gg','well','hard','now','pls','omg','tbh'])[1 + (g * 17) % 10] || ' ' || g::text END,
    (CASE WHEN g % 4 = 0 THEN 'voice' ELSE 'text' END)::"ExcerptSource",
    (ARRAY['dota2','cs2','valorant'])[1 + g % 3], 'ch-' || (g % 50), 'conv-' || (g / 8), 'p' || (g % 997),
    timestamptz '2026-01-01' + (g || ' seconds')::interval, g % 101 = 0, 1
  FROM generate_series(1, $1::bigint) g`,
  [rows],
);
// Votes: everyone gets one; 1 in 5 a second (agreeing 3 of 4 times); 1 in 40 is undone by its moderator.
await client.query(
  `
  INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, model_version_id, suggested_category_id,
                        suggested_confidence, toxic_score, is_audit, created_at)
  SELECT 1, g, 1 + g % 20, 'label'::"DecisionKind", 'queue'::"DecisionOrigin", 1 + (g * 7919) % 6, 1 + g % 2, 1 + (g * 104729) % 6,
         ((g * 37) % 100) / 100.0, ((g * 53) % 100) / 100.0, g % 10 = 0, timestamptz '2026-02-01' + (g || ' seconds')::interval
  FROM generate_series(1, $1::bigint) g
  UNION ALL
  SELECT 1, g, 1 + (g + 7) % 20, 'label'::"DecisionKind", 'queue'::"DecisionOrigin", CASE WHEN g % 4 = 0 THEN 1 + (g * 31) % 6 ELSE 1 + (g * 7919) % 6 END, 2, 1 + (g * 104729) % 6,
         ((g * 41) % 100) / 100.0, ((g * 59) % 100) / 100.0, false, timestamptz '2026-03-01' + (g || ' seconds')::interval
  FROM generate_series(1, $1::bigint) g WHERE g % 5 = 0
  ORDER BY 2, 12`,
  [rows],
);
await client.query(`
  INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, reverses_id, created_at)
  SELECT 1, d.excerpt_id, d.user_id, 'reversal', d.id, d.created_at + interval '1 minute'
  FROM decision d WHERE d.excerpt_id % 40 = 0 AND d.kind = 'label' AND d.created_at < timestamptz '2026-03-01';
  ANALYZE;
`);
const decisions = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM decision`)).rows[0].n;
const generateSeconds = (performance.now() - genStarted) / 1000;
console.log(`generated ${rows.toLocaleString()} excerpts and ${decisions.toLocaleString()} decisions in ${generateSeconds.toFixed(1)} s`);
if (args["generate-only"]) {
  await client.end();
  console.log(`kept ${dbUrl}`);
  process.exit(0);
}

await rm(exportDir, { recursive: true, force: true });
await mkdir(exportDir, { recursive: true });
type TChild = { seconds: number; rows: number; bySplit: Record<string, number>; maxRssMb: number; files: { path: string; bytes: number }[] };
const results: Record<string, TChild> = {};
for (const format of ["jsonl", "parquet", "hf"] as const) {
  const params = { name: `bench ${format}`, formats: [format], split: { train: 0.8, validation: 0.1, test: 0.1 } };
  const { rows: created } = await client.query<{ id: number }>(`INSERT INTO dataset_snapshot (workspace_id, name, params) VALUES (1, $1, $2) RETURNING id`, [
    params.name,
    JSON.stringify(params),
  ]);
  const out = await runChild(created[0].id);
  results[format] = out;
  const bytes = out.files.reduce((n, f) => n + f.bytes, 0);
  console.log(
    `${format}: ${out.rows.toLocaleString()} rows in ${out.seconds.toFixed(2)} s (${Math.round(out.rows / out.seconds).toLocaleString()} rows/s), ` +
      `${(bytes / 1e6).toFixed(0)} MB, peak RSS ${out.maxRssMb.toFixed(0)} MB`,
  );
}
await client.end();

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const result = {
  rows: results.jsonl.rows,
  excerpts: rows,
  decisions,
  jsonl_seconds: round(results.jsonl.seconds),
  parquet_seconds: round(results.parquet.seconds),
  hf_folder_seconds: round(results.hf.seconds),
  peak_rss_mb: round(Math.max(...Object.values(results).map((r) => r.maxRssMb)), 0),
  peak_rss_mb_by_format: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(v.maxRssMb, 0)])),
  rows_per_s_jsonl: Math.round(results.jsonl.rows / results.jsonl.seconds),
  splits: results.jsonl.bySplit,
  targets: { jsonl_seconds: 20, parquet_seconds: 30, hf_folder_seconds: 30, peak_rss_mb: 256 },
  meets_targets:
    results.jsonl.seconds <= 20 &&
    results.parquet.seconds <= 30 &&
    results.hf.seconds <= 30 &&
    Math.max(...Object.values(results).map((r) => r.maxRssMb)) <= 256,
  size: isFull ? "full" : isSmall ? "small" : "custom",
  machine: { cpus: os.cpus().length, node: process.version, load_avg_at_start: os.loadavg()[0] },
  export_process_node_flags: CHILD_NODE_FLAGS,
  measured_at: new Date().toISOString(),
};
console.log(JSON.stringify(result, null, 2));
// a small run proves the program works; only a full run may replace the published figures
const resultFile = path.join(ROOT, isFull ? "bench/results/export.json" : "bench/tmp/export.partial.json");
await mkdir(path.dirname(resultFile), { recursive: true });
await writeFile(resultFile, `${JSON.stringify(result, null, 2)}\n`);
await rm(exportDir, { recursive: true, force: true });
if (!args["keep-db"]) {
  await db.drop();
}
if (results.jsonl.rows !== results.parquet.rows || results.jsonl.rows !== results.hf.rows) {
  throw new Error(`formats disagree on the row count: ${results.jsonl.rows} / ${results.parquet.rows} / ${results.hf.rows}`);
}

function runChild(snapshotId: number): Promise<TChild> {
  return new Promise((resolve, reject) => {
    // The export runs as it does in a worker: a bounded heap (the job streams, so it never needs more;
    // without the cap V8 lets garbage pile up far past what is live before collecting).
    const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, "--import", "tsx", path.join(ROOT, "bench/export.ts"), "--child", String(snapshotId)], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: dbUrl, MODLOOP_EXPORT_DIR: exportDir },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`export child for snapshot ${snapshotId} exited with ${code}`));
      resolve(JSON.parse(stdout.trim().split("\n").at(-1)!));
    });
  });
}
