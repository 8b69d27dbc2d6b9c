/**
 * Confident learning (Northcutt, Jiang & Chuang, "Confident Learning: Estimating Uncertainty in
 * Dataset Labels", JAIR 70, 2021): finds labels that are likely wrong from out-of-sample predicted
 * probabilities, without trusting them to be calibrated per class.
 *
 * 1. Per-class thresholds: t_j = mean of p̂(j | x) over the examples labelled j (the class's average
 *    self-confidence), so a rare class with low probabilities everywhere still gets a fair bar.
 * 2. Confident joint C[ỹ][y*]: an example labelled ỹ counts towards y* = the class with the highest
 *    p̂ among those whose p̂ reaches their threshold (none reaching: it is not counted).
 * 3. Label issues: the off-diagonal of C (the paper's C_{ỹ,y*} method; cleanlab's
 *    filter_by="confident_learning"): examples counted under a class other than their label.
 * 4. Ranking: by self-confidence p̂(ỹ | x) or by normalized margin p̂(ỹ | x) − max_{k≠ỹ} p̂(k | x),
 *    lowest first (the paper's §4 ranking; which one the product uses was chosen on validation data,
 *    bench/trust.ts, recorded in bench/results/trust.json).
 *
 * Pure; model/label_errors.py implements the same from the paper in numpy and writes the worked
 * example lib/label-errors/fixtures/*.json that the unit test checks this file against.
 */
import { rowCount } from "../calibration/reliability.ts";

export type TRankBy = "self_confidence" | "normalized_margin";

/**
 * The product's ranking, chosen on validation data (bench/trust.ts: TweetEval's validation split and a
 * fifth of CONDA's train matches, 10% flipped): self-confidence of the calibrated probabilities had the
 * best mean of AUROC and precision@k (on binary data the two rankings are the same order).
 */
export const DEFAULT_RANK_BY: TRankBy = "self_confidence";

export type TConfidentLearningInput = {
  /** row-major n × classes out-of-sample probabilities */
  probs: ArrayLike<number>;
  classes: number;
  /** given label of each row */
  labels: ArrayLike<number>;
  rankBy?: TRankBy;
};

export type TConfidentLearningResult = {
  /** per-class threshold t_j (null for a class no row is labelled with: it is never a candidate) */
  thresholds: (number | null)[];
  /** confident joint, [given label][likely true label] */
  confidentJoint: number[][];
  /** y* of each row, −1 when no class reached its threshold */
  likelyLabels: Int32Array;
  /** 1 when the row is a label issue (off-diagonal of the confident joint) */
  isIssue: Uint8Array;
  /** p̂(given label) */
  selfConfidence: Float64Array;
  /** p̂(given label) − max over other classes p̂ */
  normalizedMargin: Float64Array;
  /** label quality in [0, 1] by the chosen ranking (self-confidence, or (margin + 1) / 2); low = suspect */
  quality: Float64Array;
  /** the issues, most likely wrong first (lowest quality; ties by row index) */
  issues: Int32Array;
  /**
   * one number per row for ranking every row: issues above all non-issues, then by 1 − quality
   * (for AUROC and precision@k over the whole training set)
   */
  suspicion: Float64Array;
};

export function findLabelIssues(input: TConfidentLearningInput): TConfidentLearningResult {
  const { probs, classes: K, labels } = input;
  const rankBy = input.rankBy ?? DEFAULT_RANK_BY;
  const n = rowCount({ probs, classes: K });
  if (labels.length !== n) throw new Error(`labels (${labels.length}) and probability rows (${n}) differ in length`);
  for (let i = 0; i < n; i++) {
    if (!(Number.isInteger(labels[i]) && labels[i] >= 0 && labels[i] < K)) throw new Error(`label ${labels[i]} of row ${i} is outside [0, ${K})`);
  }

  const sum = new Float64Array(K);
  const count = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    sum[labels[i]] += probs[i * K + labels[i]];
    count[labels[i]]++;
  }
  const thresholds = Array.from({ length: K }, (_, j) => (count[j] > 0 ? sum[j] / count[j] : null));

  const confidentJoint = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const likelyLabels = new Int32Array(n).fill(-1);
  const isIssue = new Uint8Array(n);
  const selfConfidence = new Float64Array(n);
  const normalizedMargin = new Float64Array(n);
  const quality = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * K;
    const y = labels[i];
    let best = -1;
    let otherMax = -Infinity;
    for (let j = 0; j < K; j++) {
      const p = probs[base + j];
      if (j !== y && p > otherMax) otherMax = p;
      const t = thresholds[j];
      if (t !== null && p >= t && (best < 0 || p > probs[base + best])) best = j;
    }
    likelyLabels[i] = best;
    if (best >= 0) {
      confidentJoint[y][best]++;
      if (best !== y) isIssue[i] = 1;
    }
    selfConfidence[i] = probs[base + y];
    normalizedMargin[i] = probs[base + y] - otherMax;
    quality[i] = rankBy === "self_confidence" ? selfConfidence[i] : (normalizedMargin[i] + 1) / 2;
  }
  const issueRows: number[] = [];
  for (let i = 0; i < n; i++) if (isIssue[i]) issueRows.push(i);
  issueRows.sort((a, b) => quality[a] - quality[b] || a - b);
  const suspicion = Float64Array.from(quality, (q, i) => isIssue[i] + (1 - q));
  return { thresholds, confidentJoint, likelyLabels, isIssue, selfConfidence, normalizedMargin, quality, issues: Int32Array.from(issueRows), suspicion };
}
