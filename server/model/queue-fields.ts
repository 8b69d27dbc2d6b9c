import { auditPriority, isAuditSample, queuePriority, type TRankStrategy } from "@/lib/ranking/rank.ts";

export type TRankSettings = { flagThreshold: number; rankStrategy: TRankStrategy; isFlaggedFirst: boolean; randomShare: number; nonToxicIndex: number };

/** The workspace columns queueFields ranks by, for a SELECT on `workspace w`: scoring and requeue read the same ones. */
export const RANK_SETTING_COLUMNS = "w.flag_threshold, w.rank_strategy, w.flagged_first, w.random_share";
export type TRankSettingRow = { flag_threshold: number; rank_strategy: TRankStrategy; flagged_first: boolean; random_share: number };

/** RANK_SETTING_COLUMNS as read, plus the active model's non-toxic output, as queueFields takes them. */
export function rankSettingsOf(row: TRankSettingRow, nonToxicIndex: number): TRankSettings {
  return { flagThreshold: row.flag_threshold, rankStrategy: row.rank_strategy, isFlaggedFirst: row.flagged_first, randomShare: row.random_share, nonToxicIndex };
}

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
