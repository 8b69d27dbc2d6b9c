/**
 * Chooses the queue's default ordering on validation data, never on the split the active-learning
 * benchmark reports: TweetEval offensive train → its validation split, CONDA train minus a fifth of
 * its matches → that fifth. Each candidate policy (lib/active-learning/policy.ts) runs the same
 * simulated loop as bench/active-learning.ts (100 random labels, rounds of 100, the app's trainer,
 * the 10% audit slice that never trains), and the figures are the same: labels to 95% of the
 * full-pool macro-F1 and the area under the curve, each against random sampling.
 *
 * Writes bench/results/active-learning-tuning.json, with the choice rule's pick (chooseDefault) and
 * whether the app's workspace defaults are that pick.
 *
 *   npx tsx bench/active-learning-tune.ts [--workers N] [--max-labels N] [--seeds 0,1] [--only a,b]
 *   npx tsx bench/active-learning-tune.ts --only a,b --skip-random       a further round of candidates
 *   npx tsx bench/active-learning-tune.ts --merge round1.json round2.json   one file from rounds of candidates
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { isMainThread, parentPort } from "node:worker_threads";
import { meanLabelsToReach, meanSd, normalisedAulc, type TCurvePoint } from "@/lib/active-learning/curve.ts";
import { selectByPolicy, type TAcquisitionPolicy } from "@/lib/active-learning/policy.ts";
import { WORKSPACE_DEFAULTS } from "@/lib/active-learning/select.ts";
import { simulateActiveLearning, type TRoundPoint } from "@/lib/active-learning/simulate.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { loadConda, loadTweetEvalOffensive, type TDataset } from "./lib/datasets.ts";
import { fullPoolMacroF1, learnerCache, simulationLearner, type TLinearLearner } from "./lib/linear-learner.ts";
import { isBenchWorker, runOnWorkers } from "./lib/worker-pool.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const isSmall = process.env.BENCH_SIZE === "small";

const p = (name: string, over: Partial<TAcquisitionPolicy>): TAcquisitionPolicy => ({
  name,
  isFlaggedFirst: false,
  uncertainty: "margin",
  classPower: 0,
  maxSimilarity: null,
  power: null,
  ...over,
});
export const CANDIDATES: TAcquisitionPolicy[] = [
  p("flagged_first_least_confidence", { isFlaggedFirst: true, uncertainty: "least_confidence" }),
  p("least_confidence", { uncertainty: "least_confidence" }),
  p("margin", {}),
  p("margin_class_0.5", { classPower: 0.5 }),
  p("margin_class_1", { classPower: 1 }),
  p("margin_dedupe_0.5", { maxSimilarity: 0.5 }),
  p("margin_class_0.5_dedupe_0.5", { classPower: 0.5, maxSimilarity: 0.5 }),
  p("margin_power_1", { power: 1 }),
  p("margin_power_4", { power: 4 }),
  p("margin_class_0.5_power_4", { classPower: 0.5, power: 4 }),
  p("margin_dedupe_0.3", { maxSimilarity: 0.3 }),
  p("margin_dedupe_0.4", { maxSimilarity: 0.4 }),
  p("margin_dedupe_0.7", { maxSimilarity: 0.7 }),
  p("margin_dedupe_0.8", { maxSimilarity: 0.8 }),
  p("margin_dedupe_0.9", { maxSimilarity: 0.9 }),
  p("margin_dedupe_0.7_density_1", { maxSimilarity: 0.7, densityPower: 1 }),
  p("margin_dedupe_0.7_density_3", { maxSimilarity: 0.7, densityPower: 3 }),
  p("bald_4_dedupe_0.7", { committee: 4, maxSimilarity: 0.7 }),
];

type TJob = { kind: "full"; dataset: string } | { kind: "run"; dataset: string; policy: string; seed: number; maxLabels: number };
type TJobResult = { job: TJob; seconds: number; fullF1?: number; curve?: TRoundPoint[] };

async function loadDataset(name: string): Promise<TDataset> {
  const d = name === "tweeteval" ? await loadTweetEvalOffensive("validation") : name === "conda" ? await loadConda("validation") : null;
  if (!d) throw new Error(`unknown data set ${name}`);
  if (!isSmall) return d;
  const cut = (s: TDataset["train"], n: number) => ({ texts: s.texts.slice(0, n), labels: s.labels.slice(0, n) });
  return { ...d, train: cut(d.train, 3000), test: cut(d.test, 1000) };
}

async function runWorker(): Promise<void> {
  const get = learnerCache(loadDataset);
  parentPort!.on("message", async (job: TJob | null) => {
    if (job === null) return process.exit(0);
    const started = performance.now();
    const { data, learner } = await get(job.dataset);
    if (job.kind === "full") {
      parentPort!.postMessage({ job, fullF1: fullPoolMacroF1(learner), seconds: (performance.now() - started) / 1000 } satisfies TJobResult);
      return;
    }
    const rand = seededRandom(1000 + job.seed);
    const bootRand = seededRandom(5000 + job.seed);
    const idOf = (row: number) => `${data.name}:${job.seed}:${row}`;
    const policy = CANDIDATES.find((c) => c.name === job.policy);
    const curve = simulateActiveLearning({
      poolSize: learner.train.rows,
      classes: learner.classes,
      nonToxicIndex: data.nonToxicIndex,
      strategy: "random",
      initialLabels: 100,
      batchSize: 100,
      maxLabels: job.maxLabels,
      rand,
      idOf,
      learner: simulationLearner(learner),
      selector: policy
        ? (s) => {
            // committee members: bootstrap resamples of the training labels, drawn from their own seeded stream
            const committeeProbs = policy.committee ? committeeOf(learner, s.training, s.pool, policy.committee, bootRand) : undefined;
            return selectByPolicy({
              policy,
              pool: s.pool,
              probs: s.probs,
              classes: learner.classes,
              nonToxicIndex: data.nonToxicIndex,
              batchSize: s.batchSize,
              trainingLabels: s.training.map((r) => data.train.labels[r]),
              features: learner.train,
              rand,
              idOf,
              threshold: WORKSPACE_DEFAULTS.threshold,
              randomShare: WORKSPACE_DEFAULTS.randomShare,
              committeeProbs,
            });
          }
        : undefined,
    });
    parentPort!.postMessage({ job, curve, seconds: (performance.now() - started) / 1000 } satisfies TJobResult);
  });
}

/** Pool probabilities of `members` models, each fitted on a bootstrap resample (with replacement) of `training`. */
function committeeOf(learner: TLinearLearner, training: readonly number[], pool: Int32Array, members: number, rand: () => number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let m = 0; m < members; m++) {
    const sample = Int32Array.from({ length: training.length }, () => training[Math.floor(rand() * training.length)]);
    out.push(learner.probs(learner.fit(sample), learner.train, pool));
  }
  return out;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

async function runMain(): Promise<void> {
  const { values: args, positionals } = parseArgs({
    options: {
      workers: { type: "string" },
      "max-labels": { type: "string" },
      seeds: { type: "string" },
      only: { type: "string" },
      datasets: { type: "string" },
      merge: { type: "boolean" },
      "skip-random": { type: "boolean" },
    },
    allowPositionals: true,
  });
  if (args.merge) return merge(positionals);
  const maxLabels = Number(args["max-labels"] ?? (isSmall ? 400 : 4000));
  const seeds = (args.seeds ?? (isSmall ? "0" : "0,1")).split(",").map(Number);
  const datasets = (args.datasets ?? (isSmall ? "conda" : "tweeteval,conda")).split(",");
  const only = args.only?.split(",");
  // --skip-random: a later round of candidates, to be merged with a round that ran random on the same settings
  const policies = [...CANDIDATES.filter((c) => !only || only.includes(c.name)).map((c) => c.name), ...(args["skip-random"] ? [] : ["random"])];
  const jobs: TJob[] = [];
  for (const dataset of datasets) {
    jobs.push({ kind: "full", dataset });
    // random gets 1.5× the budget: the goal is measured against the labels it needs
    for (const seed of seeds)
      for (const policy of policies)
        jobs.push({ kind: "run", dataset, policy, seed, maxLabels: policy === "random" ? Math.round(maxLabels * 1.5) : maxLabels });
  }
  const workerCount = Math.max(1, Math.min(jobs.length, Number(args.workers ?? (isSmall ? 1 : 2))));
  const started = performance.now();
  console.log(`tuning: ${jobs.length} jobs on ${workerCount} worker(s); ${datasets.join(", ")}, seeds ${seeds.join(",")}, up to ${maxLabels} labels`);
  const results = await runOnWorkers<TJob, TJobResult>({
    moduleUrl: import.meta.url,
    jobs,
    workers: workerCount,
    onResult: (r, done) => {
      const j = r.job;
      const what =
        j.kind === "full"
          ? `${j.dataset} full pool: macro-F1 ${r.fullF1!.toFixed(4)}`
          : `${j.dataset} ${j.policy} seed ${j.seed}: F1 ${r.curve![0].f1.toFixed(3)} → ${r.curve!.at(-1)!.f1.toFixed(3)}`;
      console.log(`[${done}/${jobs.length}] ${what} (${r.seconds.toFixed(1)} s, ${((performance.now() - started) / 1000).toFixed(0)} s elapsed)`);
    },
  });

  const table: TTable = {};
  for (const dataset of datasets) {
    const fullF1 = results.find((r) => r.job.kind === "full" && r.job.dataset === dataset)!.fullF1!;
    const target = 0.95 * fullF1;
    table[dataset] = { full_macro_f1: round4(fullF1), target: round4(target), policies: {} };
    const runsOf = (policy: string) =>
      seeds.map((seed) => results.find((r) => r.job.kind === "run" && r.job.dataset === dataset && r.job.policy === policy && r.job.seed === seed)!.curve!);
    const clip = (c: TCurvePoint[]) => c.filter((pt) => pt.labels <= maxLabels);
    for (const policy of policies) {
      const runs = runsOf(policy);
      const reach = meanLabelsToReach(runs, target);
      table[dataset].policies[policy] = {
        labels_to_95pct: reach.mean === null ? null : Math.round(reach.mean),
        per_seed: reach.perSeed,
        aulc: round4(meanSd(runs.map((c) => normalisedAulc(clip(c)))).mean),
        curve: meanCurveOf(runs),
      };
    }
  }
  await writeSummary({
    table,
    candidates: CANDIDATES.filter((c) => policies.includes(c.name)),
    settings: { max_labels: maxLabels, seeds, datasets },
    commands: [
      `npx tsx bench/active-learning-tune.ts --max-labels ${maxLabels} --seeds ${seeds.join(",")}${only ? ` --only ${only.join(",")}` : ""}${args["skip-random"] ? " --skip-random" : ""}`,
    ],
    seconds: Math.round((performance.now() - started) / 1000),
  });
}

type TPolicyResult = { labels_to_95pct: number | null; per_seed: (number | null)[]; aulc: number; curve: { labels: number; mean: number }[] };
type TTable = Record<string, { full_macro_f1: number; target: number; policies: Record<string, TPolicyResult> }>;
type TSummaryInput = {
  table: TTable;
  candidates: TAcquisitionPolicy[];
  settings: { max_labels: number; seeds: number[]; datasets: string[] };
  commands: string[];
  seconds: number;
};

/**
 * The choice rule, fixed before looking at test data: among candidates whose area under the curve
 * beats random's on every data set, the one with the smallest mean (over data sets) ratio of labels
 * to 95% against random's; a candidate that never got there counts as needing the whole budget
 * (1.5 × max_labels, random's budget).
 */
export function chooseDefault(table: TTable, candidates: string[], budget: number): { name: string; meanRatio: number } | null {
  let best: { name: string; meanRatio: number } | null = null;
  for (const name of candidates) {
    let sum = 0;
    let isEligible = true;
    for (const d of Object.values(table)) {
      const mine = d.policies[name];
      const random = d.policies.random;
      if (!mine || !random || !(mine.aulc > random.aulc)) isEligible = false;
      else sum += (mine.labels_to_95pct ?? budget) / (random.labels_to_95pct ?? budget);
    }
    const meanRatio = sum / Object.keys(table).length;
    if (isEligible && (!best || meanRatio < best.meanRatio)) best = { name, meanRatio };
  }
  return best;
}

async function writeSummary(input: TSummaryInput): Promise<void> {
  const { table, settings } = input;
  const budget = Math.round(settings.max_labels * 1.5);
  const out: Record<string, unknown> = {
    size: isSmall ? "small" : "full",
    measured_at: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"} (shared), Node ${process.version}`,
    command: input.commands.join(" ; "),
    notes:
      "Validation data only (TweetEval val split; CONDA: a fifth of the train matches held out), to choose the queue's default ordering; bench/active-learning.json reports the chosen default on the test splits. " +
      "Every candidate includes the 10% audit slice (labels that never train). labels_to_95pct: mean over seeds of the first label count reaching 95% of the full-pool model's macro-F1 (null: some seed never did within max_labels; random gets 1.5× the budget). " +
      "aulc over [100, max_labels]. ratio = labels / random's labels. chosen_default: among candidates with a larger aulc than random on both data sets, the smallest mean ratio (never reached = the whole budget).",
    settings,
  };
  for (const [dataset, d] of Object.entries(table)) {
    out[`${dataset}_full_macro_f1`] = d.full_macro_f1;
    for (const [policy, r] of Object.entries(d.policies)) {
      const random = d.policies.random?.labels_to_95pct ?? null;
      out[`${dataset}_${policy}_labels_to_95pct`] = r.labels_to_95pct;
      out[`${dataset}_${policy}_ratio`] = r.labels_to_95pct !== null && random !== null ? round4(r.labels_to_95pct / random) : null;
      out[`${dataset}_${policy}_aulc`] = r.aulc;
    }
  }
  const chosen = chooseDefault(
    table,
    input.candidates.map((c) => c.name),
    budget,
  );
  out.chosen_default = chosen?.name ?? null;
  out.chosen_mean_ratio = chosen ? round4(chosen.meanRatio) : null;
  const app = {
    isFlaggedFirst: WORKSPACE_DEFAULTS.isFlaggedFirst,
    uncertainty: WORKSPACE_DEFAULTS.rankStrategy,
    classPower: 0,
    maxSimilarity: WORKSPACE_DEFAULTS.maxSimilarity,
    power: null,
  };
  const chosenPolicy = input.candidates.find((c) => c.name === chosen?.name);
  out.app_default_is_chosen = !!chosenPolicy && (Object.keys(app) as (keyof typeof app)[]).every((k) => chosenPolicy[k] === app[k]);
  out.seconds = input.seconds;
  out.candidates = input.candidates;
  out.results = table;
  for (const [k, v] of Object.entries(out))
    if (typeof v !== "object" || v === null) if (/_(labels_to_95pct|ratio|aulc)$|chosen/.test(k)) console.log(`${k}: ${v}`);
  await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
  const file = path.join(ROOT, "bench/results", isSmall ? "active-learning-tuning.small.json" : "active-learning-tuning.json");
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${path.relative(ROOT, file)}`);
}

/** Joins tuning result files written with the same settings (rounds of candidates) into one. */
async function merge(files: string[]): Promise<void> {
  const parts = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, "utf8")) as Record<string, unknown>));
  const table: TTable = {};
  const candidates: TAcquisitionPolicy[] = [];
  const commands: string[] = [];
  let seconds = 0;
  for (const part of parts) {
    if (JSON.stringify(part.settings) !== JSON.stringify(parts[0].settings)) throw new Error("cannot merge tuning runs with different settings");
    commands.push(...String(part.command).split(" ; "));
    seconds += Number(part.seconds ?? 0);
    for (const c of part.candidates as TAcquisitionPolicy[]) if (!candidates.some((x) => x.name === c.name)) candidates.push({ ...c, power: c.power ?? null });
    for (const [dataset, d] of Object.entries(part.results as Record<string, Record<string, unknown>>)) {
      // the first layout kept the policies beside full_macro_f1/target; the current one nests them
      const policies = (d.policies ?? Object.fromEntries(Object.entries(d).filter(([k]) => k !== "full_macro_f1" && k !== "target"))) as Record<
        string,
        TPolicyResult
      >;
      table[dataset] ??= { full_macro_f1: d.full_macro_f1 as number, target: d.target as number, policies: {} };
      if (table[dataset].full_macro_f1 !== d.full_macro_f1)
        throw new Error(`${dataset}: the runs disagree on the full-pool macro-F1 (${table[dataset].full_macro_f1} vs ${d.full_macro_f1})`);
      for (const [name, r] of Object.entries(policies))
        table[dataset].policies[name] = { labels_to_95pct: r.labels_to_95pct, per_seed: r.per_seed, aulc: r.aulc, curve: r.curve };
    }
  }
  await writeSummary({ table, candidates, settings: parts[0].settings as TSummaryInput["settings"], commands, seconds });
}

function meanCurveOf(runs: TCurvePoint[][]): { labels: number; mean: number }[] {
  return runs[0].map((pt, i) => ({ labels: pt.labels, mean: round4(runs.reduce((a, c) => a + c[i].f1, 0) / runs.length) }));
}

if (isMainThread) await runMain();
else if (isBenchWorker()) await runWorker();
