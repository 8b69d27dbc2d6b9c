import { DEFAULT_FEATURIZER, HashedNgramFeaturizer, type TSparseRows } from "./featurize.ts";
import type { THashedNgramFeaturizer } from "./manifest.ts";
import type { TLinearWeights } from "./onnx-linear.ts";

/**
 * The project's own trainer for the default quick model: multinomial logistic regression on
 * hashed n-gram features, fitted by per-example AdaGrad (each weight gets its own step size, which
 * is what rare, informative n-grams in sparse text need) with L2 applied to the weights an example
 * touches, class-balanced example weights (toxic classes are rare), and early stopping on a
 * stratified validation slice carved from the training labels only. After the best epoch count is
 * known the model is refitted on all the training labels for that many epochs (small data: the
 * validation tenth is worth keeping).
 *
 * Hyper-parameters (DEFAULT_TRAIN_PARAMS) were chosen on validation data only: TweetEval's
 * val split and a slice of CONDA's train split (bench/model-quality.ts reports the test figures).
 */

export type TTrainParams = {
  /** AdaGrad base step */
  learningRate: number;
  /** L2 strength per example step, applied to touched weights */
  l2: number;
  maxEpochs: number;
  /** stop after this many epochs without a better validation macro-F1 */
  patience: number;
  /** share of the training labels held out for early stopping (stratified) */
  validationShare: number;
  /** below this many labels there is no validation slice: train `smallDataEpochs` epochs */
  minValidationExamples: number;
  smallDataEpochs: number;
  isClassBalanced: boolean;
  /** refit on all labels for the chosen number of epochs */
  isRefitOnAll: boolean;
  seed: number;
};

export const DEFAULT_TRAIN_PARAMS: TTrainParams = {
  learningRate: 0.2,
  l2: 1e-6,
  maxEpochs: 12,
  patience: 2,
  validationShare: 0.1,
  minValidationExamples: 200,
  smallDataEpochs: 8,
  isClassBalanced: true,
  isRefitOnAll: true,
  seed: 1,
};

export type TFitResult = TLinearWeights & {
  epochs: number;
  /** macro-F1 on the validation slice per epoch (empty without a slice) */
  validationCurve: number[];
  validationMacroF1: number | null;
};

/** mulberry32: a small seeded PRNG so training is reproducible */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffleInPlace(a: Int32Array, rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** Macro-F1 over the classes that occur in `truth` or `predicted` (scikit-learn's default labels). */
export function macroF1(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number {
  const tp = new Float64Array(classes);
  const fp = new Float64Array(classes);
  const fn = new Float64Array(classes);
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] === predicted[i]) tp[truth[i]]++;
    else {
      fp[predicted[i]]++;
      fn[truth[i]]++;
    }
  }
  let sum = 0;
  let present = 0;
  for (let k = 0; k < classes; k++) {
    if (tp[k] + fp[k] + fn[k] === 0) continue;
    present++;
    sum += (2 * tp[k]) / (2 * tp[k] + fp[k] + fn[k]);
  }
  return present === 0 ? 0 : sum / present;
}

/** Stratified split of row ids: `share` of each class (at least one when a class has ≥ 2 rows) goes to validation. */
export function stratifiedSplit(labels: ArrayLike<number>, classes: number, share: number, rand: () => number): { train: Int32Array; validation: Int32Array } {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const train: number[] = [];
  const validation: number[] = [];
  for (const rows of byClass) {
    const ids = Int32Array.from(rows);
    shuffleInPlace(ids, rand);
    const take = ids.length >= 2 ? Math.max(1, Math.round(ids.length * share)) : 0;
    for (let i = 0; i < ids.length; i++) (i < take ? validation : train).push(ids[i]);
  }
  return { train: Int32Array.from(train), validation: Int32Array.from(validation) };
}

function logitsInto(rows: TSparseRows, r: number, w: Float32Array, b: Float32Array, classes: number, out: Float64Array): void {
  for (let k = 0; k < classes; k++) out[k] = b[k];
  for (let j = rows.indptr[r]; j < rows.indptr[r + 1]; j++) {
    const v = rows.values[j];
    const base = rows.indices[j] * classes;
    for (let k = 0; k < classes; k++) out[k] += v * w[base + k];
  }
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < a.length; k++) if (a[k] > a[best]) best = k;
  return best;
}

/** Class index with the highest score for each of the given rows. */
export function predictRows(model: TLinearWeights, rows: TSparseRows, ids?: Int32Array): Int32Array {
  const n = ids ? ids.length : rows.rows;
  const out = new Int32Array(n);
  const logits = new Float64Array(model.classes);
  for (let i = 0; i < n; i++) {
    logitsInto(rows, ids ? ids[i] : i, model.weights, model.bias, model.classes, logits);
    out[i] = argmax(logits);
  }
  return out;
}

type TFitInput = {
  rows: TSparseRows;
  labels: Int32Array;
  classes: number;
  buckets: number;
  /** per-row weight multiplier (weak-supervision pseudo-examples are < 1) */
  rowWeights?: Float32Array;
  /** rows that never enter the validation slice (pseudo-examples) */
  isPseudo?: Uint8Array;
  params?: Partial<TTrainParams>;
};

/** Runs `epochs` passes of AdaGrad over `order`, mutating the model. */
function runEpoch(
  input: TFitInput,
  p: TTrainParams,
  state: TState,
  order: Int32Array,
  exampleWeight: Float32Array,
  rand: () => number,
): void {
  const { rows, labels, classes } = input;
  const { w, b, gw, gb } = state;
  const lr = p.learningRate;
  const l2 = p.l2;
  const logits = new Float64Array(classes);
  const grad = new Float64Array(classes);
  shuffleInPlace(order, rand);
  for (let o = 0; o < order.length; o++) {
    const r = order[o];
    const ew = exampleWeight[r];
    if (ew === 0) continue;
    logitsInto(rows, r, w, b, classes, logits);
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[k]);
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      logits[k] = Math.exp(logits[k] - max);
      sum += logits[k];
    }
    const y = labels[r];
    for (let k = 0; k < classes; k++) grad[k] = ew * (logits[k] / sum - (k === y ? 1 : 0));
    for (let k = 0; k < classes; k++) {
      const g = grad[k];
      gb[k] += g * g;
      b[k] -= (lr * g) / Math.sqrt(gb[k] + 1e-8);
    }
    for (let j = rows.indptr[r]; j < rows.indptr[r + 1]; j++) {
      const v = rows.values[j];
      const base = rows.indices[j] * classes;
      for (let k = 0; k < classes; k++) {
        const i = base + k;
        // L2 only on the weights this example touches (the usual sparse shortcut): exact decay of
        // all rows per step measured no better on validation and cost 3× the time.
        const g = grad[k] * v + l2 * w[i];
        gw[i] += g * g;
        w[i] -= (lr * g) / Math.sqrt(gw[i] + 1e-8);
      }
    }
  }
}


function exampleWeights(input: TFitInput, ids: Int32Array, p: TTrainParams): Float32Array {
  const { labels, classes, rowWeights, rows } = input;
  const weights = new Float32Array(rows.rows);
  const mass = new Float64Array(classes);
  for (const r of ids) mass[labels[r]] += rowWeights ? rowWeights[r] : 1;
  let total = 0;
  let present = 0;
  for (let k = 0; k < classes; k++) {
    total += mass[k];
    if (mass[k] > 0) present++;
  }
  for (const r of ids) {
    const base = rowWeights ? rowWeights[r] : 1;
    // "balanced" as in scikit-learn: n / (classes · n_k), over the classes present
    weights[r] = p.isClassBalanced ? (base * total) / (present * mass[labels[r]]) : base;
  }
  return weights;
}

type TState = { w: Float32Array; b: Float32Array; gw: Float32Array; gb: Float32Array };

function freshState(buckets: number, classes: number): TState {
  return {
    w: new Float32Array((buckets + 1) * classes),
    b: new Float32Array(classes),
    gw: new Float32Array((buckets + 1) * classes),
    gb: new Float32Array(classes),
  };
}

/** Fits softmax regression on sparse rows; see the module comment for the recipe. */
export function fitSoftmaxRegression(input: TFitInput): TFitResult {
  const p: TTrainParams = { ...DEFAULT_TRAIN_PARAMS, ...input.params };
  const { rows, labels, classes, buckets } = input;
  if (labels.length !== rows.rows) throw new Error(`labels (${labels.length}) and feature rows (${rows.rows}) differ in length`);
  for (let i = 0; i < labels.length; i++) {
    if (!(labels[i] >= 0 && labels[i] < classes)) throw new Error(`label ${labels[i]} of row ${i} is outside [0, ${classes})`);
  }
  const rand = seededRandom(p.seed);
  const all = Int32Array.from({ length: rows.rows }, (_, i) => i);
  const realIds = input.isPseudo ? all.filter((i) => !input.isPseudo![i]) : all;
  const pseudoIds = input.isPseudo ? all.filter((i) => input.isPseudo![i]) : new Int32Array(0);

  let epochs = p.smallDataEpochs;
  const curve: number[] = [];
  let bestF1: number | null = null;
  let best: ReturnType<typeof freshState> | null = null;
  if (realIds.length >= p.minValidationExamples && p.validationShare > 0) {
    const realLabels = Int32Array.from(realIds, (i) => labels[i]);
    const split = stratifiedSplit(realLabels, classes, p.validationShare, rand);
    const trainIds = Int32Array.from([...Array.from(split.train, (i) => realIds[i]), ...pseudoIds]);
    const validIds = Int32Array.from(split.validation, (i) => realIds[i]);
    const validTruth = Int32Array.from(validIds, (i) => labels[i]);
    const state = freshState(buckets, classes);
    const weights = exampleWeights(input, trainIds, p);
    const order = trainIds.slice();
    let sinceBest = 0;
    for (let e = 1; e <= p.maxEpochs; e++) {
      runEpoch(input, p, state, order, weights, rand);
      const f1 = macroF1(validTruth, predictRows({ weights: state.w, bias: state.b, buckets, classes }, rows, validIds), classes);
      curve.push(f1);
      if (bestF1 === null || f1 > bestF1 + 1e-9) {
        bestF1 = f1;
        epochs = e;
        sinceBest = 0;
        if (!p.isRefitOnAll) best = { ...state, w: state.w.slice(), b: state.b.slice() };
      } else if (++sinceBest >= p.patience) break;
    }
  }
  let final = best;
  if (!final) {
    final = freshState(buckets, classes);
    const ids = Int32Array.from([...realIds, ...pseudoIds]);
    const weights = exampleWeights(input, ids, p);
    const order = ids.slice();
    for (let e = 0; e < epochs; e++) runEpoch(input, p, final, order, weights, rand);
  }
  // the padding row must stay exactly zero (it is never touched, but make the contract explicit)
  final.w.fill(0, buckets * classes);
  return { weights: final.w, bias: final.b, buckets, classes, epochs, validationCurve: curve, validationMacroF1: bestF1 };
}

export type TTrainTextsInput = {
  texts: readonly string[];
  /** class index per text */
  labels: ArrayLike<number>;
  classes: number;
  featurizer?: THashedNgramFeaturizer;
  params?: Partial<TTrainParams>;
  /** extra weak-supervision rows (see lexicon-prior.ts) */
  pseudo?: { texts: readonly string[]; labels: ArrayLike<number>; weights: ArrayLike<number> };
};

export type TTrainTextsResult = TFitResult & {
  featurizer: THashedNgramFeaturizer;
  params: TTrainParams;
  examples: number;
  pseudoExamples: number;
  seconds: number;
};

/** Featurizes texts and fits the model: the whole quick-model training in one call. */
export function trainHashedLinear(input: TTrainTextsInput): TTrainTextsResult {
  const started = performance.now();
  const featurizer = { ...DEFAULT_FEATURIZER, ...input.featurizer };
  const f = new HashedNgramFeaturizer(featurizer);
  const pseudo = input.pseudo ?? { texts: [], labels: [], weights: [] };
  const allTexts = [...input.texts, ...pseudo.texts];
  const rows = f.featurizeRows(allTexts);
  const n = input.texts.length;
  const labels = new Int32Array(allTexts.length);
  const rowWeights = new Float32Array(allTexts.length).fill(1);
  const isPseudo = new Uint8Array(allTexts.length);
  for (let i = 0; i < n; i++) labels[i] = input.labels[i];
  for (let i = 0; i < pseudo.texts.length; i++) {
    labels[n + i] = pseudo.labels[i];
    rowWeights[n + i] = pseudo.weights[i];
    isPseudo[n + i] = 1;
  }
  const params = { ...DEFAULT_TRAIN_PARAMS, ...input.params };
  const fit = fitSoftmaxRegression({ rows, labels, classes: input.classes, buckets: featurizer.buckets, rowWeights, isPseudo, params });
  return { ...fit, featurizer, params, examples: n, pseudoExamples: pseudo.texts.length, seconds: (performance.now() - started) / 1000 };
}
