import { auditPriority, isAuditSample, queuePriority, type TRankStrategy } from "@/lib/ranking/rank.ts";

export type TRankSettings = { flagThreshold: number; rankStrategy: TRankStrategy; isFlaggedFirst: boolean; randomShare: number; nonToxicIndex: number };

/** Queue priority and flags of one excerpt from its prediction, per the workspace's ranking settings. */
export function queueFields(
  excerptId: string,
  probs: ArrayLike<number>,
  occurredAtMs: number,
  s: TRankSettings,
): { priority: number; isFlagged: boolean; isAudit: boolean } {
  const ranked = queuePriority({ probs, nonToxicIndex: s.nonToxicIndex, threshold: s.flagThreshold, strategy: s.rankStrategy, isFlaggedFirst: s.isFlaggedFirst, excerptId, occurredAtMs });
  // The audit slice ignores the model: a uniform sample whose labels measure accuracy without bias.
  if (isAuditSample(excerptId, s.randomShare)) return { priority: auditPriority(excerptId), isFlagged: ranked.isFlagged, isAudit: true };
  return { ...ranked, isAudit: false };
}

/** Top category and toxic score of a probability row. */
export function predictionFacts(probs: ArrayLike<number>, nonToxicIndex: number): { top: number; confidence: number; toxicScore: number } {
  let top = 0;
  for (let k = 1; k < probs.length; k++) if (probs[k] > probs[top]) top = k;
  return { top, confidence: probs[top], toxicScore: 1 - probs[nonToxicIndex] };
}
