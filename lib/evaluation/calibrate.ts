/**
 * Threshold calibration on the gold set: the whole trade-off table (for the curve), thinned for the
 * wire, and the cut chosen for a target precision or recall. The chosen threshold is a score from
 * the table, so "toxic score ≥ threshold" flags exactly the items the table row counts.
 */
import { chooseThreshold, thinRows, thresholdTradeoff, type TThresholdChoice, type TTradeoffRow } from "@/lib/metrics/index.ts";

export type TCalibrationTarget = { metric: "precision" | "recall"; atLeast: number };

export type TCalibration = {
  n: number;
  positives: number;
  /** at most maxRows rows, thresholds descending */
  rows: TTradeoffRow[];
  choice: TThresholdChoice | null;
  /** the row at the workspace's current threshold (what flagging does today) */
  current: TTradeoffRow | null;
};

export function calibrate(input: {
  isToxic: readonly boolean[];
  scores: ArrayLike<number>;
  target?: TCalibrationTarget;
  currentThreshold: number;
  maxRows?: number;
}): TCalibration {
  const { isToxic, scores, target, currentThreshold, maxRows = 120 } = input;
  const rows = thresholdTradeoff(isToxic, scores);
  const choice = target ? chooseThreshold(rows, target) : null;
  // Rows are thresholds descending: the last one at or above the current threshold is today's cut.
  let current: TTradeoffRow | null = null;
  for (const row of rows) if (row.threshold >= currentThreshold) current = row;
  return {
    n: isToxic.length,
    positives: isToxic.filter(Boolean).length,
    rows: rows.length === 0 ? [] : thinRows(rows, Math.max(2, maxRows)),
    choice,
    current,
  };
}
