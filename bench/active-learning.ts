/**
 * Active-learning benchmark: how many labels the queue's ordering saves. Simulates the labelling
 * loop with each data set's gold labels as the oracle: 100 random labels to start (the case study's
 * starting point), then rounds of 100 picked from the unlabelled pool by each queue strategy,
 * retraining the app's default quick model (its trainer, lexicon prior and default parameters)
 * after every round and measuring macro-F1 on the held-out split, up to 6,000 labels, 3 seeds.
 *
 * "default" is what the app serves with the workspace defaults: margin uncertainty with
 * near-duplicates spaced out (chosen on validation data by bench/active-learning-tune.ts), with the
 * 10% random audit slice mixed in as claimItems does; "flagged_first" is the earlier default. Audit labels
 * are gold-set labels in the app and never train, so here too they count as labelling effort but
 * not as training data. The other strategies are the bare acquisition functions.
 *
 * Writes bench/results/active-learning.json and one PNG of the curves per data set.
 *
 *   npx tsx bench/active-learning.ts [--workers N]      BENCH_SIZE=small for CI (seconds)
 *   npx tsx bench/active-learning.ts --plot-only        redraw the PNGs from the results file
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { isMainThread, parentPort } from "node:worker_threads";
import { AL_STRATEGIES, WORKSPACE_DEFAULTS, type TAlStrategy } from "@/lib/active-learning/select.ts";
import { simulateActiveLearning, type TRoundPoint } from "@/lib/active-learning/simulate.ts";
import { isGoalMet, meanCurve, meanLabelsToReach, meanSd, normalisedAulc, type TMeanCurvePoint } from "@/lib/active-learning/curve.ts";
import { DEFAULT_TRAIN_PARAMS, trainHashedLinear } from "@/lib/model/train-linear.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { lexiconPseudoExamples } from "@/lib/model/lexicon-prior.ts";
import { loadConda, loadTweetEvalOffensive, type TDataset } from "./lib/datasets.ts";
import { fullPoolMacroF1, learnerCache, simulationLearner, type TLinearLearner } from "./lib/linear-learner.ts";
import { isBenchWorker, runOnWorkers } from "./lib/worker-pool.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const isSmall = process.env.BENCH_SIZE === "small";

type TConfig = { datasets: string[]; seeds: number[]; initial: number; batch: number; maxLabels: number; trainRows?: number; testRows?: number };
const CONFIG: TConfig = isSmall
  ? // one data set's subset, 6 rounds, 1 seed: checks the whole path in seconds, measures nothing
    { datasets: ["conda"], seeds: [0], initial: 100, batch: 100, maxLabels: 600, trainRows: 3000, testRows: 1000 }
  : { datasets: ["tweeteval", "conda"], seeds: [0, 1, 2], initial: 100, batch: 100, maxLabels: 6000 };

type TJob = { kind: "full"; dataset: string } | { kind: "run"; dataset: string; strategy: TAlStrategy; seed: number };
type TJobResult = { job: TJob; seconds: number; fullF1?: number; curve?: TRoundPoint[] };

async function loadDataset(name: string): Promise<TDataset> {
  const d = name === "tweeteval" ? await loadTweetEvalOffensive() : name === "conda" ? await loadConda() : null;
  if (!d) throw new Error(`unknown data set ${name}`);
  if (!CONFIG.trainRows) return d;
  const cut = (s: TDataset["train"], n: number) => ({ texts: s.texts.slice(0, n), labels: s.labels.slice(0, n) });
  return { ...d, train: cut(d.train, CONFIG.trainRows), test: cut(d.test, CONFIG.testRows!) };
}

/**
 * The learner reuses features across fits; check once that it trains exactly the model the app's
 * trainHashedLinear would train on the same labels, so the figures are the app's trainer's.
 */
function checkMatchesAppTrainer(data: TDataset, learner: TLinearLearner): void {
  const rows = Int32Array.from({ length: 150 }, (_, i) => i * 3);
  const ours = learner.fit(rows);
  const pseudo = lexiconPseudoExamples({ labels: data.labels, nonToxicIndex: data.nonToxicIndex, realLabels: rows.length });
  const app = trainHashedLinear({
    texts: Array.from(rows, (r) => data.train.texts[r]),
    labels: Array.from(rows, (r) => data.train.labels[r]),
    classes: data.labels.length,
    pseudo,
  });
  let maxDiff = 0;
  for (let i = 0; i < app.weights.length; i++) maxDiff = Math.max(maxDiff, Math.abs(app.weights[i] - ours.weights[i]));
  for (let k = 0; k < app.bias.length; k++) maxDiff = Math.max(maxDiff, Math.abs(app.bias[k] - ours.bias[k]));
  if (maxDiff > 1e-6) throw new Error(`${data.name}: the benchmark's learner drifted from trainHashedLinear (max weight difference ${maxDiff})`);
}

async function runWorker(): Promise<void> {
  const get = learnerCache(loadDataset, checkMatchesAppTrainer);
  parentPort!.on("message", async (job: TJob | null) => {
    if (job === null) return process.exit(0);
    const started = performance.now();
    const { data, learner } = await get(job.dataset);
    if (job.kind === "full") {
      parentPort!.postMessage({ job, fullF1: fullPoolMacroF1(learner), seconds: (performance.now() - started) / 1000 } satisfies TJobResult);
      return;
    }
    const curve = simulateActiveLearning({
      poolSize: learner.train.rows,
      classes: learner.classes,
      nonToxicIndex: data.nonToxicIndex,
      strategy: job.strategy,
      initialLabels: CONFIG.initial,
      batchSize: CONFIG.batch,
      maxLabels: CONFIG.maxLabels,
      // the same seed draws the same 100 starting labels for every strategy: paired comparisons
      rand: seededRandom(1000 + job.seed),
      idOf: (row) => `${data.name}:${job.seed}:${row}`,
      threshold: WORKSPACE_DEFAULTS.threshold,
      randomShare: WORKSPACE_DEFAULTS.randomShare,
      features: learner.train,
      learner: simulationLearner(learner),
    });
    parentPort!.postMessage({ job, curve, seconds: (performance.now() - started) / 1000 } satisfies TJobResult);
  });
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

async function runMain(): Promise<void> {
  const { values: args } = parseArgs({ options: { workers: { type: "string" }, "plot-only": { type: "boolean" } } });
  if (args["plot-only"]) return replot();
  const jobs: TJob[] = [];
  for (const dataset of CONFIG.datasets) {
    jobs.push({ kind: "full", dataset });
    // slow strategies first so the workers finish together
    for (const seed of CONFIG.seeds) for (const strategy of AL_STRATEGIES) jobs.push({ kind: "run", dataset, strategy, seed });
  }
  const workerCount = Math.max(1, Math.min(jobs.length, Number(args.workers ?? (isSmall ? 1 : 2))));
  const started = performance.now();
  console.log(
    `active learning: ${jobs.length} jobs on ${workerCount} worker(s); ${CONFIG.datasets.join(", ")}, seeds ${CONFIG.seeds.join(",")}, up to ${CONFIG.maxLabels} labels`,
  );
  const results = await runOnWorkers<TJob, TJobResult>({
    moduleUrl: import.meta.url,
    jobs,
    workers: workerCount,
    onResult: (r, done) => {
      const j = r.job;
      const what =
        j.kind === "full"
          ? `${j.dataset} full data: macro-F1 ${r.fullF1!.toFixed(4)}`
          : `${j.dataset} ${j.strategy} seed ${j.seed}: F1 ${r.curve![0].f1.toFixed(3)} → ${r.curve!.at(-1)!.f1.toFixed(3)}`;
      console.log(`[${done}/${jobs.length}] ${what} (${r.seconds.toFixed(1)} s, ${((performance.now() - started) / 1000).toFixed(0)} s elapsed)`);
    },
  });

  const out: Record<string, unknown> = {
    size: isSmall ? "small" : "full",
    measured_at: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"} (shared), Node ${process.version}, ${workerCount} worker thread(s)`,
    command: "npx tsx bench/active-learning.ts",
    notes:
      "Simulated labelling with gold labels as the oracle: 100 random labels, then rounds of 100 per strategy, retraining the app's quick model (default parameters, lexicon prior) each round; macro-F1 on TweetEval offensive test / CONDA valid. " +
      "labels_to_95pct: labels until macro-F1 ≥ 95% of the full-data model's, mean over seeds (null: some seed never got there within the budget). aulc: area under the F1-vs-labels curve divided by the label range. " +
      `default = the workspace default ordering, chosen on validation data (bench/results/active-learning-tuning.json): ${WORKSPACE_DEFAULTS.rankStrategy} uncertainty with near-duplicates (cosine ≥ ${WORKSPACE_DEFAULTS.maxSimilarity}) spaced out, plus the ${WORKSPACE_DEFAULTS.randomShare * 100}% audit slice, whose labels are gold and do not train (as in the app). ` +
      "flagged_first = the default before that choice: flagged items first, then least confidence, plus the audit slice.",
  };
  const curves: Record<string, Record<string, TMeanCurvePoint[]>> = {};
  const perSeed: Record<string, Record<string, unknown>> = {};
  const goals: boolean[] = [];
  for (const dataset of CONFIG.datasets) {
    const fullF1 = results.find((r) => r.job.kind === "full" && r.job.dataset === dataset)!.fullF1!;
    const target = 0.95 * fullF1;
    out[`${dataset}_full_macro_f1`] = round4(fullF1);
    out[`${dataset}_target_macro_f1`] = round4(target);
    curves[dataset] = {};
    perSeed[dataset] = {};
    const figures: Record<string, { labels: number | null; aulc: number }> = {};
    for (const strategy of AL_STRATEGIES) {
      const runs = CONFIG.seeds.map(
        (seed) => results.find((r) => r.job.kind === "run" && r.job.dataset === dataset && r.job.strategy === strategy && r.job.seed === seed)!.curve!,
      );
      const reach = meanLabelsToReach(runs, target);
      const aulcs = runs.map((c) => normalisedAulc(c));
      const aulc = meanSd(aulcs);
      figures[strategy] = { labels: reach.mean, aulc: aulc.mean };
      out[`${dataset}_${strategy}_labels_to_95pct`] = reach.mean === null ? null : Math.round(reach.mean);
      out[`${dataset}_${strategy}_aulc`] = round4(aulc.mean);
      curves[dataset][strategy] = meanCurve(runs).map((p) => ({ labels: p.labels, mean: round4(p.mean), sd: round4(p.sd) }));
      perSeed[dataset][strategy] = {
        labels_to_95pct: reach.perSeed,
        aulc: aulcs.map(round4),
        aulc_sd: round4(aulc.sd),
        final_f1: runs.map((c) => round4(c.at(-1)!.f1)),
        audit_labels: runs.map((c) => c.at(-1)!.auditLabels),
      };
    }
    const d = figures.default;
    const r = figures.random;
    const isMet = isGoalMet({ defaultLabels: d.labels, randomLabels: r.labels, defaultAulc: d.aulc, randomAulc: r.aulc, budget: CONFIG.maxLabels });
    goals.push(isMet);
    out[`${dataset}_default_over_random_labels`] = d.labels !== null && r.labels !== null ? round4(d.labels / r.labels) : null;
    out[`${dataset}_goal_met`] = isMet;
  }
  out.meets_targets = goals.every(Boolean);
  out.goal = "default strategy needs ≤ 50% of the labels random sampling needs to reach 95% of full-data macro-F1, with a larger area under the learning curve";
  out.settings = {
    initial_labels: CONFIG.initial,
    batch_size: CONFIG.batch,
    max_labels: CONFIG.maxLabels,
    seeds: CONFIG.seeds,
    flag_threshold: WORKSPACE_DEFAULTS.threshold,
    rank_strategy: WORKSPACE_DEFAULTS.rankStrategy,
    flagged_first: WORKSPACE_DEFAULTS.isFlaggedFirst,
    max_similarity: WORKSPACE_DEFAULTS.maxSimilarity,
    random_share: WORKSPACE_DEFAULTS.randomShare,
    trainer: DEFAULT_TRAIN_PARAMS,
    ...(CONFIG.trainRows ? { train_rows: CONFIG.trainRows, test_rows: CONFIG.testRows } : {}),
  };
  out.seconds = Math.round((performance.now() - started) / 1000);
  out.curves = curves;
  out.per_seed = perSeed;

  const dir = path.join(ROOT, "bench/results");
  // small runs check the plotting path too, but their PNGs stay out of git (bench/tmp is ignored)
  const plotDir = path.join(ROOT, isSmall ? "bench/tmp" : "bench/results");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, isSmall ? "active-learning.small.json" : "active-learning.json");
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  for (const [k, v] of Object.entries(out))
    if (v === null || typeof v !== "object") if (/_(labels_to_95pct|aulc|macro_f1|goal_met|labels)$|meets_targets/.test(k)) console.log(`${k}: ${v}`);
  console.log(`wrote ${path.relative(ROOT, file)}`);

  const { plotActiveLearning } = await import("./lib/plot-active-learning.ts");
  for (const p of await plotActiveLearning({ result: out, dir: plotDir, suffix: isSmall ? ".small" : "" })) console.log(`wrote ${path.relative(ROOT, p)}`);
}

/** Redraws the PNGs from the last results file, without rerunning the simulation. */
async function replot(): Promise<void> {
  const dir = path.join(ROOT, "bench/results");
  const file = path.join(dir, isSmall ? "active-learning.small.json" : "active-learning.json");
  const result = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  const { plotActiveLearning } = await import("./lib/plot-active-learning.ts");
  const plotDir = path.join(ROOT, isSmall ? "bench/tmp" : "bench/results");
  for (const p of await plotActiveLearning({ result, dir: plotDir, suffix: isSmall ? ".small" : "" })) console.log(`wrote ${path.relative(ROOT, p)}`);
}

if (isMainThread) await runMain();
else if (isBenchWorker()) await runWorker();
