/**
 * How far a model's probabilities are from being probabilities: the reliability diagram and expected
 * calibration error of the top label (Guo et al. 2017, "On Calibration of Modern Neural Networks"),
 * the binary Brier score of the toxic score, and the mean negative log-likelihood.
 *
 * Probabilities come as one flat row-major array (n rows × `classes`), the layout the trainer's
 * out-of-fold predictions and the calibrator use, so 100,000 rows stay one allocation.
 */

export type TProbRows = {
  /** row-major, n × classes; each row sums to 1 */
  probs: ArrayLike<number>;
  classes: number;
};

export type TReliabilityBin = {
  /** the bin covers confidences in (lower, upper]; the first bin also holds exactly 0 */
  lower: number;
  upper: number;
  count: number;
  /** mean top-label probability of the rows in the bin (null when empty) */
  confidence: number | null;
  /** share of those rows whose top label is the true label (null when empty) */
  accuracy: number | null;
};

export type TReliability = {
  n: number;
  bins: TReliabilityBin[];
  /** Σ_b |B_b|/n · |accuracy_b − confidence_b|; null for no rows */
  ece: number | null;
  /** the largest |accuracy − confidence| over non-empty bins */
  maxCalibrationError: number | null;
};

/** Number of equal-width bins the figures use (15, as Guo et al.). */
export const ECE_BINS = 15;

export function rowCount(rows: TProbRows): number {
  if (!Number.isInteger(rows.classes) || rows.classes < 2) throw new Error(`classes must be an integer ≥ 2, got ${rows.classes}`);
  if (rows.probs.length % rows.classes !== 0) throw new Error(`probs holds ${rows.probs.length} numbers, not a multiple of ${rows.classes} classes`);
  return rows.probs.length / rows.classes;
}

function checkLabels(labels: ArrayLike<number>, n: number, classes: number): void {
  if (labels.length !== n) throw new Error(`labels (${labels.length}) and probability rows (${n}) differ in length`);
  for (let i = 0; i < n; i++) {
    if (!(Number.isInteger(labels[i]) && labels[i] >= 0 && labels[i] < classes)) throw new Error(`label ${labels[i]} of row ${i} is outside [0, ${classes})`);
  }
}

/** Index of the largest probability in row i (the first one on ties, as numpy's argmax). */
export function topLabel(probs: ArrayLike<number>, i: number, classes: number): number {
  let best = 0;
  const base = i * classes;
  for (let k = 1; k < classes; k++) if (probs[base + k] > probs[base + best]) best = k;
  return best;
}

/**
 * Top-label reliability diagram with `bins` equal-width bins over (0, 1]: a row with confidence c
 * falls in bin ⌈c·bins⌉ − 1 (c = 0 in the first), so a bin's upper edge belongs to it.
 */
export function reliabilityDiagram(rows: TProbRows, labels: ArrayLike<number>, bins = ECE_BINS): TReliability {
  const n = rowCount(rows);
  checkLabels(labels, n, rows.classes);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`bins must be a positive integer, got ${bins}`);
  const count = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  const hits = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const top = topLabel(rows.probs, i, rows.classes);
    const c = rows.probs[i * rows.classes + top];
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    count[b]++;
    confSum[b] += c;
    if (top === labels[i]) hits[b]++;
  }
  const out: TReliabilityBin[] = [];
  let ece = 0;
  let mce = 0;
  for (let b = 0; b < bins; b++) {
    const isEmpty = count[b] === 0;
    const confidence = isEmpty ? null : confSum[b] / count[b];
    const accuracy = isEmpty ? null : hits[b] / count[b];
    if (!isEmpty) {
      const gap = Math.abs(accuracy! - confidence!);
      ece += (count[b] / n) * gap;
      mce = Math.max(mce, gap);
    }
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: count[b], confidence, accuracy });
  }
  return { n, bins: out, ece: n === 0 ? null : ece, maxCalibrationError: n === 0 ? null : mce };
}

/** Expected calibration error of the top label (15 bins unless told). */
export function expectedCalibrationError(rows: TProbRows, labels: ArrayLike<number>, bins = ECE_BINS): number | null {
  return reliabilityDiagram(rows, labels, bins).ece;
}

/** Toxic score of every row: 1 − p(non-toxic), the number the queue flags by. */
export function toxicScores(rows: TProbRows, nonToxicIndex: number): Float64Array {
  const n = rowCount(rows);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 1 - rows.probs[i * rows.classes + nonToxicIndex];
  return out;
}

/** Mean squared error of the toxic score against "the true label is toxic"; null for no rows. */
export function brierBinary(rows: TProbRows, labels: ArrayLike<number>, nonToxicIndex: number): number | null {
  const n = rowCount(rows);
  checkLabels(labels, n, rows.classes);
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const score = 1 - rows.probs[i * rows.classes + nonToxicIndex];
    const y = labels[i] === nonToxicIndex ? 0 : 1;
    sum += (score - y) ** 2;
  }
  return sum / n;
}

/** Probabilities are clipped here before the log, so one confident miss costs a finite ~69. */
export const MIN_PROBABILITY = 1e-30;

/** Mean negative log-likelihood of the true labels; null for no rows. */
export function meanNll(rows: TProbRows, labels: ArrayLike<number>): number | null {
  const n = rowCount(rows);
  checkLabels(labels, n, rows.classes);
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum -= Math.log(Math.max(rows.probs[i * rows.classes + labels[i]], MIN_PROBABILITY));
  return sum / n;
}

/** The figures every calibration report carries, for one set of probabilities. */
export type TCalibrationFigures = { ece: number | null; nll: number | null; brierBinary: number | null };

export function calibrationFigures(rows: TProbRows, labels: ArrayLike<number>, nonToxicIndex: number): TCalibrationFigures {
  return { ece: expectedCalibrationError(rows, labels), nll: meanNll(rows, labels), brierBinary: brierBinary(rows, labels, nonToxicIndex) };
}
