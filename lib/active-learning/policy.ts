/**
 * Candidate queue orderings for choosing the default on validation data (bench/active-learning-tune.ts).
 * A policy ranks the non-audit part of a batch; the audit slice is drawn exactly as the app draws
 * it, so every candidate pays the same 10% of labels that go to the gold set and never train.
 */
import { FLAGGED_OFFSET, toxicScore, uncertainty, type TUncertaintyStrategy } from "@/lib/ranking/rank.ts";
import type { TSparseRows } from "@/lib/model/featurize.ts";
import { splitAuditBatch, takeSpaced, withAudit, type TSelection } from "./select.ts";

export type TAcquisitionPolicy = {
  name: string;
  /** items with toxic score ≥ threshold before all others (the original default) */
  isFlaggedFirst: boolean;
  uncertainty: TUncertaintyStrategy;
  /** uncertainty × (1 / share of the predicted class among the training labels)^classPower: favours rare predicted classes */
  classPower: number;
  /** skip a candidate whose cosine similarity to one already picked this batch is ≥ this (null: no check) */
  maxSimilarity: number | null;
  /**
   * Stochastic (power) acquisition: draw the batch with probability ∝ score^power instead of taking
   * the top scores (Kirsch et al. 2023), via keys power·log(score) + Gumbel noise. null: top scores.
   */
  power: number | null;
  /**
   * Information density (Settles & Craven 2008): uncertainty × (cosine similarity to the pool's
   * centroid)^densityPower, favouring typical items over outliers. 0: off.
   */
  densityPower?: number;
  /**
   * Query by committee: this many models, each fitted on a bootstrap resample of the training labels,
   * and the score is their mutual information with the prediction (BALD: H(mean p) − mean H(p)), the
   * disagreement that more labels would remove, rather than the noise they would not. 0/undefined: off.
   */
  committee?: number;
};

export type TPolicyInput = {
  policy: TAcquisitionPolicy;
  pool: Int32Array;
  probs: Float32Array;
  classes: number;
  nonToxicIndex: number;
  batchSize: number;
  /** class of each training label so far */
  trainingLabels: ArrayLike<number>;
  features: TSparseRows;
  rand: () => number;
  idOf: (row: number) => string;
  threshold: number;
  randomShare: number;
  /** with policy.committee: the members' probabilities, each aligned with `probs` */
  committeeProbs?: Float32Array[];
};

export function selectByPolicy(input: TPolicyInput): TSelection {
  const { policy, pool, probs, classes, features, idOf } = input;
  const batchSize = Math.min(input.batchSize, pool.length);
  const { audit, rankedPool, takeRanked } = splitAuditBatch({ rows: Array.from(pool), batchSize, randomShare: input.randomShare, rand: input.rand, idOf });
  if (policy.committee && input.committeeProbs?.length !== policy.committee)
    throw new RangeError(`policy ${policy.name} needs ${policy.committee} committee members' probabilities`);
  const positionOf = new Map<number, number>();
  for (let i = 0; i < pool.length; i++) positionOf.set(pool[i], i);

  const counts = new Float64Array(classes).fill(1);
  for (let i = 0; i < input.trainingLabels.length; i++) counts[input.trainingLabels[i]]++;
  const total = counts.reduce((a, b) => a + b, 0);
  const density = policy.densityPower ? centroidSimilarity(rankedPool, features) : null;
  const score = (row: number): number => {
    const at = positionOf.get(row)! * classes;
    const p = probs.subarray(at, at + classes);
    let best = 0;
    for (let k = 1; k < classes; k++) if (p[k] > p[best]) best = k;
    let s = policy.committee ? mutualInformation(input.committeeProbs!, positionOf.get(row)!, classes) : uncertainty(p, policy.uncertainty);
    if (policy.classPower !== 0) s *= (total / counts[best]) ** policy.classPower;
    if (density) s *= Math.max(density.get(row)!, 0) ** policy.densityPower!;
    if (policy.isFlaggedFirst && toxicScore(p, input.nonToxicIndex) >= input.threshold) s += FLAGGED_OFFSET * 1e6;
    return s;
  };
  const key = (row: number): number => {
    const s = score(row);
    if (policy.power === null) return s;
    const flagged = s >= FLAGGED_OFFSET * 1e6 ? 1e9 : 0;
    const gumbel = -Math.log(-Math.log(Math.max(input.rand(), 1e-300)));
    return flagged + policy.power * Math.log(Math.max(s - (flagged ? FLAGGED_OFFSET * 1e6 : 0), 1e-12)) + gumbel;
  };
  const ordered = rankedPool.map((row) => ({ row, s: key(row) })).sort((a, b) => b.s - a.s || a.row - b.row);

  const ranked = takeSpaced(
    ordered.map((x) => x.row),
    takeRanked,
    policy.maxSimilarity,
    features,
  );
  return withAudit(ranked, audit);
}

/** Cosine similarity of each row to the centroid of `rows` (rows with no features: 0). */
export function centroidSimilarity(rows: readonly number[], features: TSparseRows): Map<number, number> {
  const centroid = new Map<number, number>();
  const norms = new Map<number, number>();
  for (const r of rows) {
    let n = 0;
    for (let j = features.indptr[r]; j < features.indptr[r + 1]; j++) n += features.values[j] * features.values[j];
    n = Math.sqrt(n);
    norms.set(r, n);
    if (n === 0) continue;
    for (let j = features.indptr[r]; j < features.indptr[r + 1]; j++)
      centroid.set(features.indices[j], (centroid.get(features.indices[j]) ?? 0) + features.values[j] / n);
  }
  let cNorm = 0;
  for (const v of centroid.values()) cNorm += v * v;
  cNorm = Math.sqrt(cNorm);
  const out = new Map<number, number>();
  for (const r of rows) {
    const n = norms.get(r)!;
    let dot = 0;
    for (let j = features.indptr[r]; j < features.indptr[r + 1]; j++) dot += (centroid.get(features.indices[j]) ?? 0) * features.values[j];
    out.set(r, n === 0 || cNorm === 0 ? 0 : dot / (n * cNorm));
  }
  return out;
}

/** BALD over committee members: entropy of their mean prediction minus their mean entropy, for one row. */
export function mutualInformation(members: readonly ArrayLike<number>[], position: number, classes: number): number {
  const mean = new Float64Array(classes);
  let meanEntropy = 0;
  for (const m of members) {
    for (let k = 0; k < classes; k++) {
      const q = m[position * classes + k];
      mean[k] += q / members.length;
      if (q > 0) meanEntropy -= (q * Math.log(q)) / members.length;
    }
  }
  let entropy = 0;
  for (let k = 0; k < classes; k++) if (mean[k] > 0) entropy -= mean[k] * Math.log(mean[k]);
  return Math.max(0, entropy - meanEntropy);
}
