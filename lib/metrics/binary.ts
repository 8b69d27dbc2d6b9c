/**
 * Binary classification metrics (toxic vs non-toxic), with scikit-learn's exact semantics so the
 * numbers shown in the app are the ones a data scientist gets from sklearn on the same labels.
 * Truth is boolean (true = toxic); scores are toxic scores (1 − p(non-toxic)), higher = more toxic.
 * Pure: no I/O. Undefined values (e.g. AUC with one class) are `null`, never NaN, so they survive JSON.
 */

export type TBinaryCounts = { tp: number; fp: number; fn: number; tn: number };

export type TBinaryScores = {
  precision: number;
  recall: number;
  f1: number;
  /** number of truly toxic items */
  support: number;
} & TBinaryCounts;

/** sklearn's zero_division=0: a ratio whose denominator is 0 is reported as 0. */
export function safeRatio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

export function assertSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) {
    throw new Error(`${what}: inputs differ in length (${a.length} vs ${b.length})`);
  }
}

function assertFiniteScores(scores: ArrayLike<number>, what: string): void {
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new Error(`${what}: score at index ${i} is not a finite number (${scores[i]})`);
  }
}

export function binaryCounts(yTrue: ArrayLike<boolean>, yPred: ArrayLike<boolean>): TBinaryCounts {
  assertSameLength(yTrue, yPred, "binaryCounts");
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i]) {
      if (yPred[i]) tp++;
      else fn++;
    } else if (yPred[i]) fp++;
    else tn++;
  }
  return { tp, fp, fn, tn };
}

/**
 * Precision, recall and F1 from counts. F1 is 2·tp / (2·tp + fp + fn), the form sklearn ≥ 1.3 uses,
 * which is defined (as 0) even when precision and recall are both 0.
 */
export function scoresFromCounts(c: TBinaryCounts): TBinaryScores {
  return {
    ...c,
    precision: safeRatio(c.tp, c.tp + c.fp),
    recall: safeRatio(c.tp, c.tp + c.fn),
    f1: safeRatio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
    support: c.tp + c.fn,
  };
}

/** sklearn precision_recall_fscore_support(average="binary", pos_label=True, zero_division=0). */
export function binaryScores(yTrue: ArrayLike<boolean>, yPred: ArrayLike<boolean>): TBinaryScores {
  return scoresFromCounts(binaryCounts(yTrue, yPred));
}

/** Flag rule shared with the queue: toxic iff score ≥ threshold. */
export function predictAtThreshold(scores: ArrayLike<number>, threshold: number): boolean[] {
  const out = new Array<boolean>(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i] >= threshold;
  return out;
}

/**
 * Cumulative true/false positives at each distinct score, highest score first: sklearn's
 * `_binary_clf_curve`. Item i is predicted positive at threshold `thresholds[k]` iff score ≥ it.
 */
export type TClfCurve = { fps: number[]; tps: number[]; thresholds: number[] };

export function binaryClfCurve(yTrue: ArrayLike<boolean>, scores: ArrayLike<number>): TClfCurve {
  assertSameLength(yTrue, scores, "binaryClfCurve");
  assertFiniteScores(scores, "binaryClfCurve");
  // Sorting positives and negatives apart with the native numeric typed-array sort (no comparator)
  // and merging from the top is several times faster than sorting indices, and gives the same cuts.
  let nPos = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i]) nPos++;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(yTrue.length - nPos);
  let p = 0;
  let q = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i]) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  pos.sort();
  neg.sort();
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let i = pos.length - 1;
  let j = neg.length - 1;
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    // === groups −0 with 0, as numpy's diff does
    while (i >= 0 && pos[i] === v) i--;
    while (j >= 0 && neg[j] === v) j--;
    tps.push(pos.length - 1 - i);
    fps.push(neg.length - 1 - j);
    thresholds.push(v);
  }
  return { fps, tps, thresholds };
}

export type TRocCurve = { fpr: (number | null)[]; tpr: (number | null)[]; thresholds: number[] };

/**
 * sklearn roc_curve: starts at (0, 0) with threshold +Infinity; with `dropIntermediate` (sklearn's
 * default) collinear points are removed.
 */
export function rocCurve(yTrue: ArrayLike<boolean>, scores: ArrayLike<number>, options: { dropIntermediate?: boolean } = {}): TRocCurve {
  const { dropIntermediate = true } = options;
  const curve = binaryClfCurve(yTrue, scores);
  let fps = curve.fps;
  let tps = curve.tps;
  let thresholds = curve.thresholds;
  if (dropIntermediate && fps.length > 2) {
    // keep a point only where the second difference of fps or tps is non-zero (a corner of the curve)
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      const d2f = fps[i + 1] - 2 * fps[i] + fps[i - 1];
      const d2t = tps[i + 1] - 2 * tps[i] + tps[i - 1];
      if (d2f !== 0 || d2t !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = keep.map((i) => curve.fps[i]);
    tps = keep.map((i) => curve.tps[i]);
    thresholds = keep.map((i) => curve.thresholds[i]);
  }
  fps = [0, ...fps];
  tps = [0, ...tps];
  thresholds = [Infinity, ...thresholds];
  const fpMax = fps[fps.length - 1];
  const tpMax = tps[tps.length - 1];
  return {
    fpr: fps.map((v) => (fpMax === 0 ? null : v / fpMax)),
    tpr: tps.map((v) => (tpMax === 0 ? null : v / tpMax)),
    thresholds,
  };
}

/** Trapezoidal area under y(x), x monotone (either direction, like sklearn.metrics.auc). */
export function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assertSameLength(x, y, "trapezoidArea");
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return Math.abs(area);
}

/**
 * sklearn roc_auc_score for binary truth. Ties between a positive and a negative count one half
 * (the trapezoid over tied scores). Returns null when only one class is present (sklearn raises).
 */
export function rocAuc(yTrue: ArrayLike<boolean>, scores: ArrayLike<number>): number | null {
  const { fpr, tpr } = rocCurve(yTrue, scores);
  if (fpr[fpr.length - 1] === null || tpr[tpr.length - 1] === null) return null;
  return trapezoidArea(fpr as number[], tpr as number[]);
}

export type TPrCurve = { precision: number[]; recall: number[]; thresholds: number[] };

/**
 * sklearn precision_recall_curve (drop_intermediate=False): thresholds ascending; precision and
 * recall have one more entry than thresholds, ending at (precision 1, recall 0). With no positive
 * in the truth, recall is 1 at every threshold, as sklearn sets it.
 */
export function precisionRecallCurve(yTrue: ArrayLike<boolean>, scores: ArrayLike<number>): TPrCurve {
  const { fps, tps, thresholds } = binaryClfCurve(yTrue, scores);
  const m = thresholds.length;
  const tpMax = m === 0 ? 0 : tps[m - 1];
  const precision = new Array<number>(m + 1);
  const recall = new Array<number>(m + 1);
  const thr = new Array<number>(m);
  for (let k = 0; k < m; k++) {
    // reversed: sklearn returns thresholds in increasing order
    const src = m - 1 - k;
    precision[k] = safeRatio(tps[src], tps[src] + fps[src]);
    recall[k] = tpMax === 0 ? 1 : tps[src] / tpMax;
    thr[k] = thresholds[src];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: thr };
}

/**
 * sklearn average_precision_score: Σ (Rₙ − Rₙ₋₁) Pₙ over the PR curve (no interpolation).
 * Returns null without any positive in the truth (recall is undefined there; sklearn warns and gives 0).
 */
export function averagePrecision(yTrue: ArrayLike<boolean>, scores: ArrayLike<number>): number | null {
  let hasPositive = false;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i]) hasPositive = true;
  if (!hasPositive) return null;
  return averagePrecisionFromCurve(precisionRecallCurve(yTrue, scores));
}

/** The AP step integral of an already computed PR curve (which must hold at least one positive). */
export function averagePrecisionFromCurve({ precision, recall }: TPrCurve): number {
  let ap = 0;
  for (let k = 0; k < recall.length - 1; k++) ap -= (recall[k + 1] - recall[k]) * precision[k];
  // rounding can leave −0 or −1e-17 where the true value is 0; sklearn clips the same way
  return Math.max(0, ap);
}
