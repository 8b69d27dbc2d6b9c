/**
 * Which unlabelled items a simulated moderator labels next, per queue strategy. The "default"
 * strategy is what the app's queue serves with the workspace defaults (server/model/queue-fields.ts
 * and server/queue/claim-items.ts): flagged items first then least confidence, with the random
 * audit slice mixed in. The others are the plain acquisition functions of the ranking module,
 * without the flagged-first tier and without an audit slice, for comparison.
 */
import { auditPriority, auditSlots, isAuditSample, queuePriority, toxicScore, uncertainty, type TUncertaintyStrategy } from "@/lib/ranking/rank.ts";

export const AL_STRATEGIES = ["default", "least_confidence", "margin", "entropy", "toxic_score", "random"] as const;
export type TAlStrategy = (typeof AL_STRATEGIES)[number];

/** The workspace defaults of the init migration (flag_threshold, rank_strategy, random_share). */
export const WORKSPACE_DEFAULTS = { threshold: 0.5, rankStrategy: "least_confidence", randomShare: 0.1 } as const;

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

  if (strategy === "default") {
    const isAudit = (row: number) => isAuditSample(idOf(row), randomShare);
    const auditPool = rows.filter(isAudit);
    const rankedPool = rows.filter((r) => !isAudit(r));
    const wantedAudit = auditSlots(batchSize, randomShare, rand);
    // each pool fills in for the other when it runs dry, as claimItems does
    const takeAudit = Math.min(auditPool.length, Math.max(wantedAudit, batchSize - rankedPool.length));
    const takeRanked = Math.min(rankedPool.length, batchSize - takeAudit);
    const audit = topK(auditPool, (r) => auditPriority(idOf(r)), takeAudit);
    const ranked = topK(
      rankedPool,
      (r) => queuePriority({ probs: probsOf(r), nonToxicIndex, threshold, strategy: WORKSPACE_DEFAULTS.rankStrategy, excerptId: idOf(r), occurredAtMs: 0 }).priority,
      takeRanked,
    );
    const picked = [...ranked, ...audit];
    return { rows: Int32Array.from(picked), isAudit: Uint8Array.from(picked, (_, i) => (i >= ranked.length ? 1 : 0)) };
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
