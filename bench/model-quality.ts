/**
 * Quality of the default quick model on public data (issue 3 §4), trained exactly as the app trains
 * it (trainHashedLinear with the lexicon prior for the taxonomy's names) and evaluated through the
 * exported ONNX graph in onnxruntime-node, i.e. the serving path:
 *
 * - TweetEval offensive, train → test: `tweeteval_offensive_macro_f1` (target ≥ 0.75; FastText 0.734,
 *   TF-IDF + LR baseline on this machine 0.739)
 * - CONDA game chat intent E/I/A/O, train → valid: `conda_macro_f1` (target ≥ 0.82; baseline 0.809)
 * - OLID level C (IND/GRP/OTH), train → gold test: `olid_c_macro_f1` (baseline 0.543)
 * - `train_seconds_10k`: training on 10,000 CONDA chat lines (the product's kind of text; target ≤ 10 s),
 *   plus the same for 10,000 tweets, which are five times longer
 * - `infer_per_s`: featurize + ONNX inference on CONDA valid, batch 512
 *
 * Hyper-parameters were chosen on validation data only (TweetEval val, a held-back slice of CONDA
 * train); this program is the only place test labels are read. Data is read from ../shared/data
 * (MODLOOP_DATA_ROOT overrides), never copied into the repository.
 * Writes bench/results/model-quality.json (BENCH_SIZE=small → model-quality.small.json: subsampled,
 * for CI correctness only).
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import * as ort from "onnxruntime-node";
import { classificationReport } from "../lib/metrics/multiclass.ts";
import { lexiconPseudoExamples } from "../lib/model/lexicon-prior.ts";
import { packageLinearModel } from "../lib/model/package-linear.ts";
import { trainHashedLinear } from "../lib/model/train-linear.ts";
import { seededRandom } from "../lib/random/seeded-random.ts";
import { linearEncoder, sessionOptionsFor } from "../server/model/load-model-session.ts";
import { runModel } from "../server/model/predict-texts.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const DATA = process.env.MODLOOP_DATA_ROOT ?? path.resolve(ROOT, "../shared/data");
const isSmall = process.env.BENCH_SIZE === "small";

type TSplit = { texts: string[]; labels: number[] };
type TTask = { name: string; labels: string[]; nonToxicIndex: number | null; train: TSplit; test: TSplit };

const lines = (file: string) => {
  const all = readFileSync(path.join(DATA, file), "utf8").split(/\r?\n/);
  if (all[all.length - 1] === "") all.pop();
  return all;
};

function tweetEval(split: "train" | "test"): TSplit {
  return { texts: lines(`tweeteval-offensive/${split}_text.txt`), labels: lines(`tweeteval-offensive/${split}_labels.txt`).map(Number) };
}

const CONDA_CLASSES = ["O", "E", "I", "A"];
function conda(split: "train" | "valid"): TSplit {
  const rows = parse(readFileSync(path.join(DATA, `conda/CONDA_${split}.csv`)), { columns: true }) as { utterance: string; intentClass: string }[];
  const kept = rows.filter((r) => r.utterance?.trim() && CONDA_CLASSES.includes(r.intentClass));
  return { texts: kept.map((r) => r.utterance), labels: kept.map((r) => CONDA_CLASSES.indexOf(r.intentClass)) };
}

const OLID_C = ["IND", "GRP", "OTH"];
function olidC(): { train: TSplit; test: TSplit } {
  const train: TSplit = { texts: [], labels: [] };
  for (const line of lines("olid/olid-training-v1.0.tsv").slice(1)) {
    const [, tweet, , , c] = line.split("\t");
    if (!OLID_C.includes(c)) continue;
    train.texts.push(tweet);
    train.labels.push(OLID_C.indexOf(c));
  }
  const textById = new Map(
    lines("olid/testset-levelc.tsv")
      .slice(1)
      .map((l) => l.split("\t") as [string, string]),
  );
  const test: TSplit = { texts: [], labels: [] };
  for (const line of lines("olid/labels-levelc.csv").slice(1)) {
    const [id, label] = line.split(",");
    const text = textById.get(id);
    if (text === undefined) throw new Error(`OLID C test label ${id} has no tweet in testset-levelc.tsv`);
    test.texts.push(text);
    test.labels.push(OLID_C.indexOf(label));
  }
  return { train, test };
}

function subsample(split: TSplit, n: number, seed: number): TSplit {
  if (split.texts.length <= n) return split;
  const rand = seededRandom(seed);
  const ids = Array.from(split.texts, (_, i) => i);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const keep = ids.slice(0, n);
  return { texts: keep.map((i) => split.texts[i]), labels: keep.map((i) => split.labels[i]) };
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

async function evaluate(task: TTask): Promise<{ macroF1: number; accuracy: number; trainSeconds: number; inferPerS: number; n: number }> {
  const pseudo =
    task.nonToxicIndex === null
      ? undefined
      : lexiconPseudoExamples({ labels: task.labels, nonToxicIndex: task.nonToxicIndex, realLabels: task.train.texts.length });
  const trained = trainHashedLinear({ texts: task.train.texts, labels: task.train.labels, classes: task.labels.length, pseudo });
  const { onnx, manifest } = packageLinearModel(trained, {
    version: task.name,
    labels: task.labels,
    nonToxicIndex: task.nonToxicIndex ?? 0,
    dataset: task.name,
  });
  const session = await ort.InferenceSession.create(onnx, sessionOptionsFor(manifest));
  try {
    const model = { modelVersionId: 0, workspaceId: 0, manifest, categoryIds: task.labels.map((_, i) => i), session, encode: linearEncoder(manifest) };
    const t0 = performance.now();
    const probs = await runModel(model, task.test.texts, 512);
    const inferSeconds = (performance.now() - t0) / 1000;
    const predicted = probs.map((p) => p.indexOf(Math.max(...p)));
    const report = classificationReport(
      task.test.labels,
      predicted,
      task.labels.map((_, i) => i),
    );
    const macroF1 = report.macro?.f1 ?? 0;
    console.log(
      `${task.name}: macro-F1 ${round(macroF1)} (accuracy ${round(report.accuracy ?? 0)}) — ${task.train.texts.length} train / ${task.test.texts.length} test, trained in ${round(trained.seconds, 2)} s (${trained.iterations} L-BFGS iterations)`,
    );
    return {
      macroF1,
      accuracy: report.accuracy ?? 0,
      trainSeconds: trained.seconds,
      inferPerS: task.test.texts.length / inferSeconds,
      n: task.test.texts.length,
    };
  } finally {
    await session.release();
  }
}

function trainSeconds(split: TSplit, classes: number, n: number): number {
  const sample = subsample(split, n, 7);
  const t0 = performance.now();
  trainHashedLinear({ texts: sample.texts, labels: sample.labels, classes });
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(DATA, "tweeteval-offensive"))) {
    console.error(`No evaluation data at ${DATA} (set MODLOOP_DATA_ROOT); model-quality needs the public datasets.`);
    process.exit(isSmall ? 0 : 1);
  }
  const cap = (s: TSplit, n: number) => (isSmall ? subsample(s, n, 1) : s);
  const olid = olidC();
  const tasks: TTask[] = [
    {
      name: "tweeteval_offensive",
      labels: ["not-offensive", "offensive"],
      nonToxicIndex: 0,
      train: cap(tweetEval("train"), 2000),
      test: cap(tweetEval("test"), 400),
    },
    {
      name: "conda",
      labels: ["other", "explicit toxicity", "implicit toxicity", "action"],
      nonToxicIndex: 0,
      train: cap(conda("train"), 3000),
      test: cap(conda("valid"), 1000),
    },
    { name: "olid_c", labels: ["individual", "group", "other target"], nonToxicIndex: null, train: cap(olid.train, 1000), test: olid.test },
  ];
  const results: Record<string, Awaited<ReturnType<typeof evaluate>>> = {};
  for (const task of tasks) results[task.name] = await evaluate(task);

  const tenK = isSmall ? 2000 : 10_000;
  const chatSeconds = trainSeconds(conda("train"), 4, tenK);
  const tweetSeconds = trainSeconds(tweetEval("train"), 2, tenK);
  console.log(`training on ${tenK} labels: ${round(chatSeconds, 2)} s (CONDA chat), ${round(tweetSeconds, 2)} s (tweets)`);

  const report = {
    tweeteval_offensive_macro_f1: round(results.tweeteval_offensive.macroF1),
    conda_macro_f1: round(results.conda.macroF1),
    olid_c_macro_f1: round(results.olid_c.macroF1),
    train_seconds_10k: round(chatSeconds, 2),
    train_seconds_10k_tweets: round(tweetSeconds, 2),
    infer_per_s: Math.round(results.conda.inferPerS),
    infer_per_s_tweets: Math.round(results.tweeteval_offensive.inferPerS),
    accuracy: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, round(r.accuracy)])),
    test_sizes: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.n])),
    targets: { tweeteval_offensive_macro_f1: 0.75, conda_macro_f1: 0.82, train_seconds_10k: 10 },
    baselines_tfidf_lr: { tweeteval_offensive_macro_f1: 0.739, conda_macro_f1: 0.809, olid_c_macro_f1: 0.543 },
    model: "hashed word 1-2 + char_wb 2-5 n-grams (2^18 buckets), NB-weighted logistic regression, L-BFGS, C = 1, balanced classes",
    cpus: os.cpus().length,
    node: process.version,
    size: isSmall ? "small" : "full",
    measured_at: new Date().toISOString(),
  };
  await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
  const file = path.join(ROOT, `bench/results/model-quality${isSmall ? ".small" : ""}.json`);
  await writeFile(file, JSON.stringify(report, null, 2) + "\n");
  console.log(`wrote ${path.relative(ROOT, file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
