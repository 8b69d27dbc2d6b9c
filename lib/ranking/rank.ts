/**
 * Queue ranking: the pure math behind "model-ranked flagged excerpts".
 * No I/O here: the scoring worker calls `queuePriority` when it stores a prediction, and the
 * claim query serves open items by descending priority (see server/queue).
 */
import { unitHash } from "@/lib/random/hash.ts";

export const UNCERTAINTY_STRATEGIES = ["least_confidence", "margin", "entropy"] as const;
export const RANK_STRATEGIES = [...UNCERTAINTY_STRATEGIES, "toxic_score", "random", "oldest"] as const;
export type TUncertaintyStrategy = (typeof UNCERTAINTY_STRATEGIES)[number];
export type TRankStrategy = (typeof RANK_STRATEGIES)[number];

/** Toxic score = 1 − p(non-toxic): the probability mass on all toxic categories together. */
export function toxicScore(probs: ArrayLike<number>, nonToxicIndex: number): number {
  return 1 - probs[nonToxicIndex];
}

/** The two largest values of a row (the second is 0 when there is only one). */
export function topTwo(probs: ArrayLike<number>): [number, number] {
  let first = -Infinity;
  let second = -Infinity;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (p > first) {
      second = first;
      first = p;
    } else if (p > second) {
      second = p;
    }
  }
  return [first, second === -Infinity ? 0 : second];
}

/** 1 − max p: 0 when the model is sure, up to 1 − 1/K when it is uniform. */
export function leastConfidence(probs: ArrayLike<number>): number {
  return 1 - topTwo(probs)[0];
}

/** 1 − (p₁ − p₂): 1 when the two best categories tie, 0 when one has all the mass. */
export function marginUncertainty(probs: ArrayLike<number>): number {
  const [a, b] = topTwo(probs);
  return 1 - (a - b);
}

/** Shannon entropy normalised by log K, in [0, 1]. */
export function normalisedEntropy(probs: ArrayLike<number>): number {
  if (probs.length < 2) return 0;
  let h = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (p > 0) h -= p * Math.log(p);
  }
  return Math.min(1, Math.max(0, h / Math.log(probs.length)));
}

export function uncertainty(probs: ArrayLike<number>, strategy: TUncertaintyStrategy): number {
  switch (strategy) {
    case "least_confidence":
      return leastConfidence(probs);
    case "margin":
      return marginUncertainty(probs);
    case "entropy":
      return normalisedEntropy(probs);
  }
}

/**
 * Is this excerpt in the random audit slice? Decided by a hash of its id, independently of the
 * model, so the slice is a uniform sample of flagged and unflagged items alike and labels from it
 * estimate accuracy without the bias of uncertainty sampling.
 */
export function isAuditSample(excerptId: string | number | bigint, randomShare: number): boolean {
  return unitHash(excerptId, "audit") < randomShare;
}

/**
 * Is this excerpt an overlap item, labelled by two moderators for inter-annotator agreement? A hash
 * of its id with its own salt, so the overlap share is a uniform sample independent of the audit slice.
 */
export function isOverlapSample(excerptId: string | number | bigint, overlapShare: number): boolean {
  return unitHash(excerptId, "overlap") < overlapShare;
}

/** How many distinct moderators must label a queue item before it closes. */
export function requiredReviews(excerptId: string | number | bigint, overlapShare: number): 1 | 2 {
  return isOverlapSample(excerptId, overlapShare) ? 2 : 1;
}

export type TPriorityInput = {
  probs: ArrayLike<number>;
  nonToxicIndex: number;
  /** workspace flag threshold on the toxic score */
  threshold: number;
  strategy: TRankStrategy;
  /**
   * Uncertainty strategies: serve every flagged item before any unflagged one. Off by default for
   * new workspaces: on validation data the flagged tier cost labels (bench/active-learning-tune.ts),
   * because the model's most useful questions are as often just below the threshold as above it.
   */
  isFlaggedFirst: boolean;
  excerptId: string | number | bigint;
  /** ms since epoch; used by "oldest" */
  occurredAtMs: number;
};

/** Flagged items sit a whole unit above every unflagged one (see queuePriority). */
export const FLAGGED_OFFSET = 2;

/**
 * Priority of an open queue item; higher is served first.
 * Uncertainty strategies: the chosen uncertainty, in [0, 1]; with isFlaggedFirst, flagged items
 * (toxic ≥ threshold) move up to [2, 3], above every unflagged one. The gap matters: with [1, 2] an unflagged item of
 * uncertainty 1 (two categories tied) tied with a flagged item the model was sure of, so "flagged
 * first" did not hold. "toxic_score": highest toxic score first. "random": a stable hash.
 * "oldest": earliest first.
 * Throws RangeError on probabilities that are not finite and non-negative, or an out-of-range
 * non-toxic index: a NaN priority sorts above every number in PostgreSQL and would be served first.
 */
export function queuePriority(input: TPriorityInput): { priority: number; isFlagged: boolean } {
  assertProbs(input.probs, input.nonToxicIndex);
  const tox = toxicScore(input.probs, input.nonToxicIndex);
  const isFlagged = tox >= input.threshold;
  switch (input.strategy) {
    case "toxic_score":
      return { priority: tox, isFlagged };
    case "random":
      return { priority: unitHash(input.excerptId, "order"), isFlagged };
    case "oldest":
      if (!Number.isFinite(input.occurredAtMs)) throw new RangeError(`occurredAtMs must be a finite time for "oldest", got ${input.occurredAtMs}`);
      // negate seconds so that smaller times sort first under DESC; exact in a double
      return { priority: -input.occurredAtMs / 1000, isFlagged };
    default:
      return { priority: (isFlagged && input.isFlaggedFirst ? FLAGGED_OFFSET : 0) + uncertainty(input.probs, input.strategy), isFlagged };
  }
}

function assertProbs(probs: ArrayLike<number>, nonToxicIndex: number): void {
  if (probs.length < 2) throw new RangeError(`need probabilities for at least 2 categories, got ${probs.length}`);
  if (!Number.isInteger(nonToxicIndex) || nonToxicIndex < 0 || nonToxicIndex >= probs.length) {
    throw new RangeError(`nonToxicIndex ${nonToxicIndex} is outside the ${probs.length} outputs`);
  }
  for (let i = 0; i < probs.length; i++) {
    if (!Number.isFinite(probs[i]) || probs[i] < 0) throw new RangeError(`probability ${i} is ${probs[i]}; expected a finite number ≥ 0`);
  }
}

/** Priority inside the audit slice: a stable random order, so audited items are a uniform sample. */
export function auditPriority(excerptId: string | number | bigint): number {
  return unitHash(excerptId, "audit-order");
}

/**
 * How many of a claimed batch come from the audit slice. Each slot is audit with probability
 * `randomShare`, so over time the served stream holds that share of random items.
 * `rand` is injected for testability.
 */
export function auditSlots(batchSize: number, randomShare: number, rand: () => number = Math.random): number {
  let n = 0;
  for (let i = 0; i < batchSize; i++) if (rand() < randomShare) n++;
  return n;
}
