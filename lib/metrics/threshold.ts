/**
 * Threshold calibration for the workspace's flag threshold (an item is flagged iff its toxic score
 * ≥ threshold, the same rule as the queue). The trade-off table lists every distinct cut on the
 * evaluation set; `chooseThreshold` picks the cut that reaches a target precision (or recall) while
 * keeping as much of the other as possible.
 */
import { binaryClfCurve, safeRatio } from "./binary.ts";

export type TTradeoffRow = {
  /** flag iff toxic score ≥ threshold */
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
  /** share of all evaluated items that would be flagged */
  flaggedRate: number;
};

/**
 * One row per distinct score, thresholds descending (fewest flags first). Precision, recall and F1
 * use zero_division=0, so the rows match sklearn's precision_recall_curve at the same thresholds.
 */
export function thresholdTradeoff(yTrue: ArrayLike<boolean>, scores: ArrayLike<number>): TTradeoffRow[] {
  const { fps, tps, thresholds } = binaryClfCurve(yTrue, scores);
  const n = yTrue.length;
  const positives = tps.length === 0 ? 0 : tps[tps.length - 1];
  const negatives = n - positives;
  return thresholds.map((threshold, k) => {
    const tp = tps[k];
    const fp = fps[k];
    const fn = positives - tp;
    return {
      threshold,
      tp,
      fp,
      fn,
      tn: negatives - fp,
      precision: safeRatio(tp, tp + fp),
      recall: safeRatio(tp, positives),
      f1: safeRatio(2 * tp, 2 * tp + fp + fn),
      flaggedRate: (tp + fp) / n,
    };
  });
}

export type TThresholdTarget = { metric: "precision"; atLeast: number } | { metric: "recall"; atLeast: number } | { metric: "f1" };

export type TThresholdChoice = {
  row: TTradeoffRow;
  /** false when no cut reaches the target; `row` is then the closest one (highest value of the target metric) */
  isTargetMet: boolean;
};

/**
 * Precision target → the cut with the highest recall among those with precision ≥ target (ties:
 * the higher precision, then the higher threshold, i.e. fewer flags). Recall target → the highest
 * precision among cuts with recall ≥ target (ties: higher recall, then higher threshold).
 * "f1" → the cut with the best F1. Returns null when there is nothing to choose from (no items).
 */
export function chooseThreshold(rows: readonly TTradeoffRow[], target: TThresholdTarget): TThresholdChoice | null {
  if (rows.length === 0) return null;
  if (target.metric !== "f1" && !(target.atLeast >= 0 && target.atLeast <= 1)) {
    throw new Error(`chooseThreshold: target ${target.metric} must lie in [0, 1] (got ${target.atLeast})`);
  }
  const [primary, secondary] =
    target.metric === "precision"
      ? (["precision", "recall"] as const)
      : target.metric === "recall"
        ? (["recall", "precision"] as const)
        : (["f1", "f1"] as const);
  // strictly better on (secondary, primary, threshold) in that order
  const isBetter = (a: TTradeoffRow, b: TTradeoffRow) =>
    a[secondary] !== b[secondary] ? a[secondary] > b[secondary] : a[primary] !== b[primary] ? a[primary] > b[primary] : a.threshold > b.threshold;
  let best: TTradeoffRow | null = null;
  for (const row of rows) {
    if (target.metric !== "f1" && row[primary] < target.atLeast) continue;
    if (best === null || isBetter(row, best)) best = row;
  }
  if (best !== null) return { row: best, isTargetMet: true };
  // unreachable target: report the cut that comes closest, so the UI can say how far off it is
  let closest = rows[0];
  for (const row of rows) {
    if (row[primary] > closest[primary] || (row[primary] === closest[primary] && row[secondary] > closest[secondary])) {
      closest = row;
    }
  }
  return { row: closest, isTargetMet: false };
}

/** Thin a long table to at most `maxRows` rows, evenly spaced, always keeping the first and last. */
export function thinRows<T>(rows: readonly T[], maxRows: number): T[] {
  if (maxRows < 2) throw new Error(`thinRows: maxRows must be at least 2 (got ${maxRows})`);
  if (rows.length <= maxRows) return [...rows];
  const out: T[] = [];
  const step = (rows.length - 1) / (maxRows - 1);
  for (let i = 0; i < maxRows; i++) out.push(rows[Math.round(i * step)]);
  return out;
}
