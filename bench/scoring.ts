/**
 * Scoring benchmark for the default quick model (issue 2: `excerpts_per_s` ≥ 20,000 on the 2-core
 * machine, with the batch size).
 *
 * 1. Model only, end to end: texts → hashed n-gram featurizer → onnxruntime-node session → class
 *    probabilities, through the server's own runModel (featurizing the next batch while onnxruntime
 *    runs the previous one), at several batch sizes. The headline figure is the best batch size.
 * 2. With the database: scorePendingExcerpts on a fresh PostgreSQL database (created, then dropped)
 *    holding N unscored excerpts: read → predict → one INSERT of predictions + queue items per batch.
 *
 * Texts are generated game chat (short lines, ~30 characters, like real chat) so the benchmark needs
 * no external data. The model is trained by the project's trainer on 2,000 generated labels, 5 classes.
 * Writes bench/results/scoring.json (BENCH_SIZE=small → scoring.small.json, for CI correctness only).
 *
 *   npx tsx bench/scoring.ts [--texts N] [--db-excerpts N] [--batch-sizes 256,1024] [--keep-db]
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import pg from "pg";
import { parseManifest } from "../lib/model/manifest.ts";
import { packageLinearModel } from "../lib/model/package-linear.ts";
import { trainHashedLinear } from "../lib/model/train-linear.ts";
import { seededRandom } from "../lib/random/seeded-random.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const isSmall = process.env.BENCH_SIZE === "small";
const { values: args } = parseArgs({
  options: {
    texts: { type: "string" },
    "db-excerpts": { type: "string" },
    "batch-sizes": { type: "string" },
    "keep-db": { type: "boolean", default: false },
  },
});
const TEXTS = Number(args.texts ?? (isSmall ? 5_000 : 200_000));
const DB_EXCERPTS = Number(args["db-excerpts"] ?? (isSmall ? 3_000 : 100_000));
const BATCH_SIZES = (args["batch-sizes"] ?? (isSmall ? "64,512" : "64,256,512,1024,2048")).split(",").map(Number);
const LABELS = ["non-toxic", "insult", "profanity", "hate", "threat"];

const adminUrl = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `modloop_bench_scoring_${process.pid}`;
const dbUrlObj = new URL(adminUrl);
dbUrlObj.pathname = `/${dbName}`;
process.env.DATABASE_URL = dbUrlObj.toString();

const FRIENDLY = "gg wp nice shot thanks heal push mid top bot lane dragon baron wait team go back ok lol brb ready care ward jungle gank tower ult cd".split(
  " ",
);
const INSULTS = "idiot loser trash clown moron noob garbage useless dumb braindead".split(" ");
const SWEARS = "fuck shit damn bitch ass crap piss hell".split(" ");
const HATE = ["go back to your country", "people like you should not exist", "typical of your kind"];
const THREATS = ["i will find you", "watch your back", "i know where you live"];

/** One generated chat line and its class. */
function chatLine(rand: () => number): { text: string; label: number } {
  const pick = (a: string[]) => a[Math.floor(rand() * a.length)];
  const words = Array.from({ length: 2 + Math.floor(rand() * 5) }, () => pick(FRIENDLY));
  const r = rand();
  let label = 0;
  if (r < 0.12) {
    label = 1;
    words.splice(Math.floor(rand() * words.length), 0, "you", pick(INSULTS));
  } else if (r < 0.22) {
    label = 2;
    words.splice(Math.floor(rand() * words.length), 0, pick(SWEARS));
  } else if (r < 0.25) {
    label = 3;
    words.push(pick(HATE));
  } else if (r < 0.27) {
    label = 4;
    words.push(pick(THREATS));
  }
  let text = words.join(" ");
  if (rand() < 0.3) text = text.toUpperCase();
  if (rand() < 0.2) text += "!!";
  return { text, label };
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const rand = seededRandom(42);
  const train = Array.from({ length: 2000 }, () => chatLine(rand));
  const trained = trainHashedLinear({ texts: train.map((t) => t.text), labels: train.map((t) => t.label), classes: LABELS.length });
  const { onnx, manifest } = packageLinearModel(trained, { version: "bench", labels: LABELS, nonToxicIndex: 0, dataset: "generated chat" });
  console.log(`trained on ${train.length} generated labels in ${round(trained.seconds, 2)} s; ONNX ${round(onnx.length / 1e6, 1)} MB`);

  // ---- 1. model only -----------------------------------------------------------------------
  const { linearEncoder, sessionOptionsFor } = await import("../server/model/load-model-session.ts");
  const { runModel } = await import("../server/model/predict-texts.ts");
  const session = await ort.InferenceSession.create(onnx, sessionOptionsFor(manifest));
  const model = {
    modelVersionId: 0,
    workspaceId: 0,
    manifest: parseManifest(manifest),
    categoryIds: [1, 2, 3, 4, 5],
    session,
    encode: linearEncoder(manifest),
  };
  const texts = Array.from({ length: TEXTS }, () => chatLine(rand).text);
  const avgChars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
  await runModel(model, texts.slice(0, 5000), 512); // warm up the JIT and onnxruntime's allocator
  const byBatch: { batch_size: number; excerpts_per_s: number }[] = [];
  for (const batchSize of BATCH_SIZES) {
    const t0 = performance.now();
    const probs = await runModel(model, texts, batchSize);
    const seconds = (performance.now() - t0) / 1000;
    if (probs.length !== texts.length) throw new Error(`scored ${probs.length} of ${texts.length} texts`);
    byBatch.push({ batch_size: batchSize, excerpts_per_s: Math.round(texts.length / seconds) });
    console.log(`model only, batch ${batchSize}: ${Math.round(texts.length / seconds)} excerpts/s`);
  }
  // featurizer alone, for the breakdown
  const featT0 = performance.now();
  for (let i = 0; i < texts.length; i += 512) model.encode(texts.slice(i, i + 512));
  const featurizePerS = Math.round(texts.length / ((performance.now() - featT0) / 1000));
  console.log(`featurizer alone: ${featurizePerS} texts/s`);
  await session.release();
  const best = byBatch.reduce((a, b) => (b.excerpts_per_s > a.excerpts_per_s ? b : a));

  // ---- 2. with the database ----------------------------------------------------------------
  await admin(`DROP DATABASE IF EXISTS "${dbName}"`);
  await admin(`CREATE DATABASE "${dbName}"`);
  let dbFigures: { db_excerpts: number; db_excerpts_per_s: number; db_batch_size: number; db_seconds: number };
  try {
    const { migrate } = await import("../server/db/migrate.ts");
    await migrate(process.env.DATABASE_URL!);
    const { getPool, closePools } = await import("../server/db/pool.ts");
    const { trainModelVersion } = await import("../server/registry/train-model-version.ts");
    const { scorePendingExcerpts, SCORE_BATCH_SIZE } = await import("../server/model/score-pending-excerpts.ts");
    const { releaseModelSessions } = await import("../server/model/load-model-session.ts");
    const pool = getPool();
    const { rows: ws } = await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('bench', 'Scoring bench') RETURNING id`);
    const workspaceId = ws[0].id;
    const { rows: cats } = await pool.query<{ id: number }>(
      `INSERT INTO category (workspace_id, name, sort_order, is_non_toxic)
       SELECT $1, name, ord, ord = 1 FROM unnest($2::text[]) WITH ORDINALITY AS t(name, ord) ORDER BY ord RETURNING id`,
      [workspaceId, LABELS],
    );
    const labelled = Array.from({ length: 2000 }, () => chatLine(rand));
    const rows = [
      ...labelled.map((l) => ({ text: l.text, category: cats[l.label].id })),
      ...Array.from({ length: DB_EXCERPTS }, () => ({ text: chatLine(rand).text, category: null })),
    ];
    for (let i = 0; i < rows.length; i += 20_000) {
      const chunk = rows.slice(i, i + 20_000);
      await pool.query(
        `INSERT INTO excerpt (workspace_id, dedup_key, text, current_category_id, occurred_at)
         SELECT $1, 'k' || ($4::int + u.ord), u.text, u.category, now() FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS u(text, category, ord)`,
        [workspaceId, chunk.map((r) => r.text), chunk.map((r) => r.category), i],
      );
    }
    await pool.query("ANALYZE");
    await trainModelVersion({ workspaceId, activate: true });
    const t0 = performance.now();
    let scored = 0;
    for (;;) {
      const r = await scorePendingExcerpts({ workspaceId });
      if (r.scored === 0) break;
      scored += r.scored;
    }
    const seconds = (performance.now() - t0) / 1000;
    const { rows: check } = await pool.query<{ predictions: number; queued: number }>(
      `SELECT (SELECT count(*)::int FROM prediction) AS predictions, (SELECT count(*)::int FROM queue_item) AS queued`,
    );
    if (check[0].predictions !== rows.length || check[0].queued !== DB_EXCERPTS) {
      throw new Error(`expected ${rows.length} predictions and ${DB_EXCERPTS} queue items, found ${check[0].predictions} and ${check[0].queued}`);
    }
    dbFigures = { db_excerpts: scored, db_excerpts_per_s: Math.round(scored / seconds), db_batch_size: SCORE_BATCH_SIZE, db_seconds: round(seconds, 2) };
    console.log(`with PostgreSQL: ${scored} excerpts scored and queued in ${round(seconds, 2)} s → ${dbFigures.db_excerpts_per_s}/s`);
    await releaseModelSessions();
    await closePools();
  } finally {
    if (!args["keep-db"]) await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  }

  const report = {
    excerpts_per_s: best.excerpts_per_s,
    batch_size: best.batch_size,
    target_excerpts_per_s: 20_000,
    texts: TEXTS,
    avg_chars: round(avgChars),
    classes: LABELS.length,
    buckets: manifest.featurizer.type === "hashed-ngrams" ? manifest.featurizer.buckets : null,
    by_batch_size: byBatch,
    featurize_per_s: featurizePerS,
    ...dbFigures,
    cpus: os.cpus().length,
    node: process.version,
    size: isSmall ? "small" : "full",
    measured_at: new Date().toISOString(),
  };
  await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
  const file = path.join(ROOT, `bench/results/scoring${isSmall ? ".small" : ""}.json`);
  await writeFile(file, JSON.stringify(report, null, 2) + "\n");
  console.log(`wrote ${path.relative(ROOT, file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
