/**
 * Which unlabelled items a simulated moderator labels next, per queue strategy. The "default"
 * strategy is what the app's queue serves with the workspace defaults (lib/ranking/queue-fields.ts,
 * server/queue/space-queue-head.ts and server/queue/claim-items.ts): margin uncertainty with
 * near-duplicates spaced out, with the random audit slice mixed in. "flagged_first" is the
 * default before it was chosen on validation data (flagged items first, then least confidence,
 * audit slice). The others are the plain acquisition functions of the ranking module, without a
 * flagged tier, spacing or audit slice, for comparison.
 */
import type { TSparseRows } from "@/lib/model/featurize.ts";
import { DEFAULT_MAX_SIMILARITY, diversify } from "@/lib/ranking/diversify.ts";
import {
  auditPriority,
  auditSlots,
  isAuditSample,
  queuePriority,
  toxicScore,
  uncertainty,
  type TRankStrategy,
  type TUncertaintyStrategy,
} from "@/lib/ranking/rank.ts";

export const AL_STRATEGIES = ["default", "flagged_first", "least_confidence", "margin", "entropy", "toxic_score", "random"] as const;
export type TAlStrategy = (typeof AL_STRATEGIES)[number];

/** The workspace defaults of the migrations (flag_threshold, rank_strategy, flagged_first, max_similarity, random_share). */
export const WORKSPACE_DEFAULTS = {
  threshold: 0.5,
  rankStrategy: "margin",
  isFlaggedFirst: false,
  maxSimilarity: DEFAULT_MAX_SIMILARITY,
  randomShare: 0.1,
} as const;

/** The defaults before the validation run: flagged first, least confidence, no spacing. */
const FLAGGED_FIRST = { rankStrategy: "least_confidence", isFlaggedFirst: true, maxSimilarity: null } as const;

export type TSelectInput = {
  /** candidate row ids (the unlabelled pool) */
  pool: ArrayLike<number>;
  /** probabilities row-major, `classes` per pool entry, aligned with `pool` */
  probs: ArrayLike<number>;
  classes: number;
  nonToxicIndex: number;
  strategy: TAlStrategy;
  batchSize: number;
  /** seeded uniform [0, 1) source: audit slot draws */
  rand: () => number;
  /** the excerpt id the queue would hash for a row (salt it per seed so the audit slice differs) */
  idOf: (row: number) => string;
  threshold?: number;
  randomShare?: number;
  /** the pool's features (rows indexed by pool row id): near-duplicate spacing compares them */
  features?: TSparseRows;
};

export type TSelection = {
  rows: Int32Array;
  /** 1 where the row was served from the audit slice (its label is gold, not training data) */
  isAudit: Uint8Array;
};

/** Top `k` of `rows` by descending score; ties by ascending row id so runs are reproducible. */
function topK(rows: number[], score: (row: number) => number, k: number): number[] {
  if (k <= 0) return [];
  const scored = rows.map((row) => ({ row, s: score(row) }));
  scored.sort((a, b) => b.s - a.s || a.row - b.row);
  return scored.slice(0, k).map((x) => x.row);
}

/**
 * The audit half of a batch, drawn as claimItems draws it: auditSlots() of the batch from the audit
 * slice in its stable random order, each pool filling in for the other when it runs dry. Returns the
 * audit rows, the rest of the pool (to be ranked) and how many of the batch the ranking fills.
 */
export function splitAuditBatch(input: { rows: number[]; batchSize: number; randomShare: number; rand: () => number; idOf: (row: number) => string }): {
  audit: number[];
  rankedPool: number[];
  takeRanked: number;
} {
  const { rows, batchSize, idOf } = input;
  const isAudit = (row: number) => isAuditSample(idOf(row), input.randomShare);
  const auditPool = rows.filter(isAudit);
  const rankedPool = rows.filter((r) => !isAudit(r));
  const wantedAudit = auditSlots(batchSize, input.randomShare, input.rand);
  const takeAudit = Math.min(auditPool.length, Math.max(wantedAudit, batchSize - rankedPool.length));
  const takeRanked = Math.min(rankedPool.length, batchSize - takeAudit);
  return { audit: topK(auditPool, (r) => auditPriority(idOf(r)), takeAudit), rankedPool, takeRanked };
}

/**
 * The first `take` rows of a ranked order, spaced as the queue job spaces its head (kept rows first,
 * then the demoted ones) when maxSimilarity is set.
 */
export function takeSpaced(order: number[], take: number, maxSimilarity: number | null, features: TSparseRows | undefined): number[] {
  if (maxSimilarity === null) return order.slice(0, take);
  if (!features) throw new RangeError("near-duplicate spacing needs the pool's features");
  const spaced = diversify(order, features, maxSimilarity, take);
  // fewer than `take` kept means the whole order was examined, so the demoted rows fill up
  return [...spaced.kept, ...spaced.demoted].slice(0, take);
}

/** Ranked rows, then audit rows marked as audit. */
export function withAudit(ranked: number[], audit: number[]): TSelection {
  const picked = [...ranked, ...audit];
  return { rows: Int32Array.from(picked), isAudit: Uint8Array.from(picked, (_, i) => (i >= ranked.length ? 1 : 0)) };
}

export function selectBatch(input: TSelectInput): TSelection {
  const { pool, probs, classes, nonToxicIndex, strategy, rand, idOf } = input;
  if (!Number.isInteger(input.batchSize) || input.batchSize < 0) throw new RangeError(`batchSize must be a whole number ≥ 0, got ${input.batchSize}`);
  if (probs.length !== pool.length * classes) throw new RangeError(`probs has ${probs.length} values, expected ${pool.length} × ${classes}`);
  const threshold = input.threshold ?? WORKSPACE_DEFAULTS.threshold;
  const randomShare = input.randomShare ?? WORKSPACE_DEFAULTS.randomShare;
  const batchSize = Math.min(input.batchSize, pool.length);
  const positionOf = new Map<number, number>();
  for (let i = 0; i < pool.length; i++) positionOf.set(pool[i], i);
  const probsOf = (row: number) => {
    const at = positionOf.get(row)! * classes;
    return Array.prototype.slice.call(probs, at, at + classes) as number[];
  };
  const rows = Array.from(pool);

  if (strategy === "default" || strategy === "flagged_first") {
    const ranking: { rankStrategy: TRankStrategy; isFlaggedFirst: boolean; maxSimilarity: number | null } =
      strategy === "default" ? WORKSPACE_DEFAULTS : FLAGGED_FIRST;
    const { audit, rankedPool, takeRanked } = splitAuditBatch({ rows, batchSize, randomShare, rand, idOf });
    const priorityOf = (r: number) =>
      queuePriority({
        probs: probsOf(r),
        nonToxicIndex,
        threshold,
        strategy: ranking.rankStrategy,
        isFlaggedFirst: ranking.isFlaggedFirst,
        excerptId: idOf(r),
        occurredAtMs: 0,
      }).priority;
    const order = ranking.maxSimilarity === null ? topK(rankedPool, priorityOf, takeRanked) : topK(rankedPool, priorityOf, rankedPool.length);
    return withAudit(takeSpaced(order, takeRanked, ranking.maxSimilarity, input.features), audit);
  }

  let score: (row: number) => number;
  switch (strategy) {
    case "toxic_score":
      score = (r) => toxicScore(probsOf(r), nonToxicIndex);
      break;
    case "random":
      // a fresh uniform draw per row; seeded, so a seed gives the same sample every run
      score = () => rand();
      break;
    default:
      score = (r) => uncertainty(probsOf(r), strategy as TUncertaintyStrategy);
  }
  const picked = topK(rows, score, batchSize);
  return { rows: Int32Array.from(picked), isAudit: new Uint8Array(picked.length) };
}
