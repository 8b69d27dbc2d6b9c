/**
 * The app's default quick model as a learner for benchmark simulations: the same featurizer,
 * lexicon prior and trainer (with its default parameters) that server/registry/train-model-version.ts
 * runs, but with every text featurized once, so hundreds of retrainings only pay for the fit.
 */
import type { TLearner } from "@/lib/active-learning/simulate.ts";
import { classificationReport } from "@/lib/metrics/index.ts";
import { DEFAULT_FEATURIZER, HashedNgramFeaturizer, type TSparseRows } from "@/lib/model/featurize.ts";
import { lexiconPseudoExamples } from "@/lib/model/lexicon-prior.ts";
import type { TLinearWeights } from "@/lib/model/onnx-linear.ts";
import { DEFAULT_TRAIN_PARAMS, fitSoftmaxRegression } from "@/lib/model/train-linear.ts";
import type { TDataset } from "./datasets.ts";

export type TLinearLearner = {
  classes: number;
  buckets: number;
  /** train rows featurized once */
  train: TSparseRows;
  test: TSparseRows;
  /** fits on these training rows plus the lexicon pseudo-examples, weighted as the app does */
  fit: (rows: Int32Array) => TLinearWeights;
  /** softmax probabilities, row-major */
  probs: (model: TLinearWeights, features: TSparseRows, rows: Int32Array) => Float32Array;
  /** held-out macro-F1 over all classes */
  evaluate: (model: TLinearWeights) => number;
};

/** Rows `ids` of `src`, then all of `extra`, as one compact sparse matrix. */
export function stackRows(src: TSparseRows, ids: ArrayLike<number>, extra?: TSparseRows): TSparseRows {
  const extraRows = extra?.rows ?? 0;
  let nnz = extra ? extra.indptr[extraRows] : 0;
  for (let i = 0; i < ids.length; i++) nnz += src.indptr[ids[i] + 1] - src.indptr[ids[i]];
  const indptr = new Int32Array(ids.length + extraRows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let at = 0;
  const copy = (m: TSparseRows, r: number, out: number) => {
    const from = m.indptr[r];
    const to = m.indptr[r + 1];
    indices.set(m.indices.subarray(from, to), at);
    values.set(m.values.subarray(from, to), at);
    at += to - from;
    indptr[out + 1] = at;
  };
  for (let i = 0; i < ids.length; i++) copy(src, ids[i], i);
  for (let r = 0; r < extraRows; r++) copy(extra!, r, ids.length + r);
  return { indptr, indices, values, rows: ids.length + extraRows };
}

export function softmaxProbs(model: TLinearWeights, features: TSparseRows, rows: Int32Array): Float32Array {
  const K = model.classes;
  const out = new Float32Array(rows.length * K);
  const logits = new Float64Array(K);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    for (let k = 0; k < K; k++) logits[k] = model.bias[k];
    for (let j = features.indptr[r]; j < features.indptr[r + 1]; j++) {
      const v = features.values[j];
      const base = features.indices[j] * K;
      for (let k = 0; k < K; k++) logits[k] += v * model.weights[base + k];
    }
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, logits[k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += logits[k] = Math.exp(logits[k] - max);
    for (let k = 0; k < K; k++) out[i * K + k] = logits[k] / sum;
  }
  return out;
}

export function createLinearLearner(data: TDataset): TLinearLearner {
  const featurizer = new HashedNgramFeaturizer(DEFAULT_FEATURIZER);
  const buckets = featurizer.settings.buckets;
  const classes = data.labels.length;
  const train = featurizer.featurizeRows(data.train.texts);
  const test = featurizer.featurizeRows(data.test.texts);
  // The prior's texts do not depend on how many labels there are, only its weight does.
  const prior = lexiconPseudoExamples({ labels: data.labels, nonToxicIndex: data.nonToxicIndex, realLabels: 0 });
  const priorRows = featurizer.featurizeRows(prior.texts);
  const testIds = Int32Array.from({ length: test.rows }, (_, i) => i);
  const classList = Array.from({ length: classes }, (_, k) => k);

  const fit = (rows: Int32Array): TLinearWeights => {
    const { weights: priorWeights } = lexiconPseudoExamples({ labels: data.labels, nonToxicIndex: data.nonToxicIndex, realLabels: rows.length });
    const stacked = stackRows(train, rows, priorRows);
    const n = rows.length;
    const labels = new Int32Array(stacked.rows);
    const rowWeights = new Float32Array(stacked.rows).fill(1);
    const isPseudo = new Uint8Array(stacked.rows);
    for (let i = 0; i < n; i++) labels[i] = data.train.labels[rows[i]];
    for (let i = 0; i < prior.texts.length; i++) {
      labels[n + i] = prior.labels[i];
      rowWeights[n + i] = priorWeights[i];
      isPseudo[n + i] = 1;
    }
    const fitted = fitSoftmaxRegression({ rows: stacked, labels, classes, buckets, rowWeights, isPseudo, params: DEFAULT_TRAIN_PARAMS });
    return { weights: fitted.weights, bias: fitted.bias, buckets, classes };
  };

  const evaluate = (model: TLinearWeights): number => {
    const p = softmaxProbs(model, test, testIds);
    const predicted = new Int32Array(test.rows);
    for (let i = 0; i < test.rows; i++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (p[i * classes + k] > p[i * classes + best]) best = k;
      predicted[i] = best;
    }
    return classificationReport(Array.from(data.test.labels), Array.from(predicted), classList).macro!.f1;
  };

  return { classes, buckets, train, test, fit, probs: softmaxProbs, evaluate };
}

/**
 * One learner per data set for the life of a worker thread: featurizing a data set is the costly
 * part, so each worker does it once and every job on that data set reuses it. `check` runs once on
 * each new learner (the benchmark checks it against the app's trainer).
 */
export function learnerCache(load: (name: string) => Promise<TDataset>, check?: (data: TDataset, learner: TLinearLearner) => void) {
  const entries = new Map<string, { data: TDataset; learner: TLinearLearner }>();
  return async (name: string) => {
    let entry = entries.get(name);
    if (!entry) {
      const data = await load(name);
      const learner = createLinearLearner(data);
      check?.(data, learner);
      entry = { data, learner };
      entries.set(name, entry);
    }
    return entry;
  };
}

/** Macro-F1 of the model fitted on the whole pool: the 100% the learning curves are measured against. */
export function fullPoolMacroF1(learner: TLinearLearner): number {
  return learner.evaluate(learner.fit(Int32Array.from({ length: learner.train.rows }, (_, i) => i)));
}

/** The learner as simulateActiveLearning takes it: probabilities over the training pool's rows. */
export function simulationLearner(learner: TLinearLearner): TLearner<TLinearWeights> {
  return { fit: learner.fit, predictPool: (model, rows) => learner.probs(model, learner.train, rows), evaluate: learner.evaluate };
}
