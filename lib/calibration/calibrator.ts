/**
 * Post-hoc calibration: a small map fitted on held-out predictions (the trainer's out-of-fold
 * probabilities, or a fine-tuning validation split) that turns a model's outputs into probabilities
 * that mean what they say. The map works on log-probabilities u = log softmax(output):
 *
 *   temperature   p' = softmax(u / T)                 one parameter; fixes over- and under-confidence
 *   vector        p' = softmax(a ⊙ u + b)             2K parameters; also moves the class priors
 *
 * Vector scaling on log-probabilities is diagonal Dirichlet calibration (Kull et al. 2019); on a
 * linear model's logits it equals vector scaling (Guo et al. 2017) up to a per-row constant. The
 * priors matter here: the trainer balances classes and adds lexicon pseudo-examples, which moves
 * every probability towards the rare toxic classes (benign "lol" scored 0.60 toxic), something a
 * temperature cannot undo.
 *
 * Which map a model gets is decided on held-out data only: every candidate is fitted on all folds but
 * one and scored (mean NLL) on the one left out, over all folds; the lowest NLL wins, ties go to the
 * simpler map. The winner is then refitted on everything. Pure: no I/O; model/calibration.py is the
 * Python twin (the fine-tuning pipeline), checked against the same worked example.
 */
import type { TCalibration, TCalibrationMethod } from "../model/manifest.ts";
import { chooseThreshold, thresholdTradeoff } from "../metrics/threshold.ts";
import { softmax } from "../model/onnx-linear.ts";
import { lbfgs } from "../model/train-linear.ts";
import { calibrationFigures, MIN_PROBABILITY, rowCount, toxicScores, type TCalibrationFigures } from "./reliability.ts";

/** The part of the manifest block the serving path needs. */
export type TCalibrationMap = Pick<TCalibration, "method" | "temperature" | "scale" | "shift">;

const LOG_MIN = Math.log(MIN_PROBABILITY);

/** log softmax of one output row (logits), or the clipped log of a row that is already probabilities. */
export function logProbabilities(output: ArrayLike<number>, isProbability: boolean): Float64Array {
  const K = output.length;
  const u = new Float64Array(K);
  if (isProbability) {
    for (let k = 0; k < K; k++) u[k] = output[k] > MIN_PROBABILITY ? Math.log(output[k]) : LOG_MIN;
    return u;
  }
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, output[k]);
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(output[k] - max);
  const lse = max + Math.log(sum);
  for (let k = 0; k < K; k++) u[k] = output[k] - lse;
  return u;
}

/** softmax(scale ⊙ u + shift) of one row of log-probabilities, written into `out` (length K). */
function mapRow(map: TCalibrationMap, u: ArrayLike<number>, offset: number, K: number, out: Float64Array | Float32Array, outOffset: number): void {
  let max = -Infinity;
  const z = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const x = u[offset + k];
    z[k] = map.method === "temperature" ? x / map.temperature! : map.method === "vector" ? map.scale![k] * x + map.shift![k] : x;
    if (z[k] > max) max = z[k];
  }
  let sum = 0;
  for (let k = 0; k < K; k++) {
    z[k] = Math.exp(z[k] - max);
    sum += z[k];
  }
  for (let k = 0; k < K; k++) out[outOffset + k] = z[k] / sum;
}

/** Calibrated probabilities of many rows of log-probabilities (flat, row-major n × classes). */
export function calibrateLogProbs(map: TCalibrationMap, logProbs: ArrayLike<number>, classes: number): Float64Array {
  const n = rowCount({ probs: logProbs, classes });
  const out = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) mapRow(map, logProbs, i * classes, classes, out, i * classes);
  return out;
}

/**
 * One served prediction: the model's raw output row → calibrated probabilities. Without a map (or with
 * "none") the row comes back exactly as it did before calibration existed: the probabilities
 * themselves, or softmax of logits.
 */
export function calibrateOutput(map: TCalibrationMap | undefined, output: Float32Array, isProbability: boolean): Float32Array {
  if (!map || map.method === "none") return isProbability ? output : softmax(output);
  const out = new Float32Array(output.length);
  mapRow(map, logProbabilities(output, isProbability), 0, output.length, out, 0);
  return out;
}

// --- fitting ---------------------------------------------------------------------------------

/** `rows`: which rows of logProbs to fit on (all of them, or all folds but one) */
export type TFitData = { logProbs: ArrayLike<number>; labels: ArrayLike<number>; classes: number; rows: Int32Array | readonly number[] };

/**
 * Temperature by Newton's method on t = 1/T, minimising the mean NLL of softmax(t·u), which is convex
 * in t: f'(t) = mean(E_p[u] − u_y), f''(t) = mean(Var_p[u]) ≥ 0. T is kept in [1/1000, 1000].
 */
export function fitTemperature(data: TFitData): number {
  const { logProbs: u, labels, classes: K, rows } = data;
  const m = rows.length;
  if (m === 0) return 1;
  const value = (t: number) => {
    let f = 0;
    let g = 0;
    let h = 0;
    for (const i of rows) {
      const base = i * K;
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, t * u[base + k]);
      let sum = 0;
      let mean = 0;
      let second = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(t * u[base + k] - max);
        sum += e;
        mean += e * u[base + k];
        second += e * u[base + k] * u[base + k];
      }
      mean /= sum;
      second /= sum;
      f += max + Math.log(sum) - t * u[base + labels[i]];
      g += mean - u[base + labels[i]];
      h += second - mean * mean;
    }
    return { f: f / m, g: g / m, h: h / m };
  };
  const lo = 1e-3;
  const hi = 1e3;
  let t = 1;
  let cur = value(t);
  for (let it = 0; it < 100; it++) {
    if (Math.abs(cur.g) < 1e-13) break;
    let step = cur.h > 1e-300 ? -cur.g / cur.h : -Math.sign(cur.g);
    let next = t;
    let nextValue = cur;
    let isAccepted = false;
    for (let ls = 0; ls < 60; ls++) {
      next = Math.min(hi, Math.max(lo, t + step));
      nextValue = value(next);
      if (nextValue.f <= cur.f + 1e-4 * (next - t) * cur.g || Math.abs(next - t) < 1e-15) {
        isAccepted = true;
        break;
      }
      step /= 2;
    }
    if (!isAccepted || next === t) break;
    t = next;
    cur = nextValue;
  }
  return 1 / t;
}

/**
 * Vector scaling of the log-probabilities: minimises mean NLL of softmax(a ⊙ u + b) plus
 * (‖a − 1‖² + ‖b‖²) / (2m), a standard-normal prior around the identity worth one example, which
 * makes the optimum unique (softmax ignores a common shift) and keeps tiny workspaces from
 * overfitting. Solved by L-BFGS from the identity.
 */
export function fitVectorScaling(data: TFitData): { scale: number[]; shift: number[] } {
  const { logProbs: u, labels, classes: K, rows } = data;
  const m = rows.length;
  if (m === 0) return { scale: new Array(K).fill(1), shift: new Array(K).fill(0) };
  const lambda = 1 / m;
  const z = new Float64Array(K);
  // x = [α (K), b (K)] with a = 1 + α, so the start x = 0 is the identity map
  const objective = (x: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let f = 0;
    for (const i of rows) {
      const base = i * K;
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        z[k] = (1 + x[k]) * u[base + k] + x[K + k];
        if (z[k] > max) max = z[k];
      }
      let sum = 0;
      for (let k = 0; k < K; k++) {
        z[k] = Math.exp(z[k] - max);
        sum += z[k];
      }
      const y = labels[i];
      f -= Math.log(z[y] / sum);
      for (let k = 0; k < K; k++) {
        const d = z[k] / sum - (k === y ? 1 : 0);
        g[k] += d * u[base + k];
        g[K + k] += d;
      }
    }
    let reg = 0;
    for (let j = 0; j < 2 * K; j++) {
      g[j] = g[j] / m + lambda * x[j];
      reg += x[j] * x[j];
    }
    return f / m + 0.5 * lambda * reg;
  };
  const { x } = lbfgs(objective, 2 * K, { maxIterations: 500, tolerance: 1e-15, memory: 10 });
  return { scale: Array.from({ length: K }, (_, k) => 1 + x[k]), shift: Array.from({ length: K }, (_, k) => x[K + k]) };
}

/** Fits one kind of map on the given rows (the benchmark compares them one by one). */
export function fitCalibrationMap(method: TCalibrationMethod, data: TFitData): TCalibrationMap {
  if (method === "temperature") return { method, temperature: fitTemperature(data) };
  if (method === "vector") return { method, ...fitVectorScaling(data) };
  return { method: "none" };
}

// --- choosing and packaging ------------------------------------------------------------------

/** Fewer real examples than this: no calibration (too few to fit or to judge a fit). */
export const MIN_CALIBRATION_EXAMPLES = 20;
/** Vector scaling is a candidate only when every class has at least this many examples. */
export const MIN_EXAMPLES_PER_CLASS_FOR_VECTOR = 5;
/** Folds for the comparison when the rows come without any (a validation split). */
export const COMPARISON_FOLDS = 5;

export const THRESHOLD_RULE =
  "maximum binary F1 of the calibrated toxic score on the data the calibration was fitted on (halfway between the best cut's score and the next lower one)";

export type TFitCalibrationInput = {
  /** row-major n × classes log-probabilities of held-out predictions */
  logProbs: ArrayLike<number>;
  /** true class of each row */
  labels: ArrayLike<number>;
  classes: number;
  nonToxicIndex: number;
  /** the fold of each row (cross-fitting); without it rows are spread over COMPARISON_FOLDS by index */
  folds?: ArrayLike<number>;
  fittedOn: TCalibration["fittedOn"];
  /** candidates to compare (default: all that the data allows) */
  methods?: readonly TCalibrationMethod[];
};

export type TFitCalibrationResult = {
  calibration: TCalibration;
  /** calibrated probabilities of the fit data (row-major), for detection and reports */
  probs: Float64Array;
};

/**
 * Binary-F1-optimal threshold of toxic scores (flag iff score ≥ threshold); null unless both toxic and
 * non-toxic rows exist. The best cut flags the same rows anywhere between its score and the next lower
 * one, so the threshold sits halfway between them: on cleanly separated data the best cut's score is
 * the lowest toxic score (say 0.9999), which would flag almost nothing new.
 */
export function bestF1Threshold(scores: ArrayLike<number>, isToxic: readonly boolean[]): number | null {
  if (!isToxic.includes(true) || !isToxic.includes(false)) return null;
  const rows = thresholdTradeoff(isToxic, scores);
  const choice = chooseThreshold(rows, { metric: "f1" });
  if (!choice) return null;
  const at = rows.indexOf(choice.row);
  const below = at + 1 < rows.length ? rows[at + 1].threshold : choice.row.threshold;
  return Math.min(1, Math.max(0, (choice.row.threshold + below) / 2));
}

/**
 * Chooses, fits and describes the calibration of one model from held-out predictions: the manifest's
 * `calibration` block (with the comparison of every candidate) and the calibrated probabilities.
 */
export function fitCalibration(input: TFitCalibrationInput): TFitCalibrationResult {
  const { logProbs, labels, classes: K, nonToxicIndex } = input;
  const n = rowCount({ probs: logProbs, classes: K });
  if (labels.length !== n) throw new Error(`labels (${labels.length}) and rows (${n}) differ in length`);
  const folds = input.folds ? Int32Array.from(input.folds) : Int32Array.from({ length: n }, (_, i) => i % COMPARISON_FOLDS);
  if (folds.length !== n) throw new Error(`folds (${folds.length}) and rows (${n}) differ in length`);
  const perClass = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) perClass[labels[i]]++;
  const foldIds = [...new Set(folds)].sort((a, b) => a - b);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const uncalibrated = calibrateLogProbs({ method: "none" }, logProbs, K);
  const before = calibrationFigures({ probs: uncalibrated, classes: K }, labels, nonToxicIndex);

  const isTooFew = n < MIN_CALIBRATION_EXAMPLES || foldIds.length < 2 || perClass.filter((c) => c > 0).length < 2;
  const allowed: TCalibrationMethod[] = isTooFew
    ? ["none"]
    : ["none", "temperature", ...(perClass.every((c) => c >= MIN_EXAMPLES_PER_CLASS_FOR_VECTOR) ? (["vector"] as const) : [])];
  const methods = (input.methods ?? allowed).filter((m) => allowed.includes(m));
  if (!methods.includes("none")) methods.unshift("none");

  const candidates: (TCalibrationFigures & { method: TCalibrationMethod })[] = [];
  for (const method of methods) {
    // held-out: each fold calibrated by a map fitted on the other folds
    const heldOut = new Float64Array(n * K);
    for (const f of foldIds) {
      const train = all.filter((i) => folds[i] !== f);
      const test = all.filter((i) => folds[i] === f);
      const map = fitCalibrationMap(method, { logProbs, labels, classes: K, rows: train });
      for (const i of test) mapRow(map, logProbs, i * K, K, heldOut, i * K);
    }
    candidates.push({ method, ...calibrationFigures({ probs: heldOut, classes: K }, labels, nonToxicIndex) });
  }
  // lowest held-out NLL; candidates are in order of complexity, so a tie keeps the simpler map
  let chosen = candidates[0];
  for (const c of candidates) if ((c.nll ?? Infinity) < (chosen.nll ?? Infinity) - 1e-12) chosen = c;
  const map = fitCalibrationMap(chosen.method, { logProbs, labels, classes: K, rows: all });
  const probs = calibrateLogProbs(map, logProbs, K);
  const after = calibrationFigures({ probs, classes: K }, labels, nonToxicIndex);
  const isToxic = Array.from(labels, (y) => y !== nonToxicIndex);
  const calibration: TCalibration = {
    ...map,
    fittedOn: input.fittedOn,
    examples: n,
    folds: foldIds.length,
    chosenBy: isTooFew
      ? `none: calibration needs ≥ ${MIN_CALIBRATION_EXAMPLES} held-out examples of ≥ 2 classes in ≥ 2 folds`
      : "lowest held-out mean NLL (each fold calibrated by a map fitted on the others); ties: the simpler map",
    candidates,
    before,
    after,
    flagThreshold: bestF1Threshold(toxicScores({ probs, classes: K }, nonToxicIndex), isToxic),
    thresholdRule: THRESHOLD_RULE,
  };
  return { calibration, probs };
}
