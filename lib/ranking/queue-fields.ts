/**
 * The queue's ranking inputs, pure: a workspace's ranking settings as read (TRankSettingRow) and what an
 * excerpt's queue row holds given its prediction. Scoring, re-ranking and the machine API's live store
 * all call these, so an item is ranked the same way whichever path writes it.
 */
import { auditPriority, isAuditSample, queuePriority, type TRankStrategy } from "./rank.ts";
import { routeLiveLine, type TRouteReason, type TRouteSettings } from "./route.ts";

export type TRankSettings = {
  flagThreshold: number;
  rankStrategy: TRankStrategy;
  isFlaggedFirst: boolean;
  randomShare: number;
  nonToxicIndex: number;
  /** how live lines (sent through the machine API) enter the queue */
  route: TRouteSettings;
};

/**
 * The workspace columns the queue is ranked by, for a SELECT on `workspace w` (scoring, re-ranking and the
 * live store read the same ones), beside the row type they produce so the two cannot drift.
 */
export const RANK_SETTING_COLUMNS =
  "w.flag_threshold, w.rank_strategy, w.flagged_first, w.random_share, w.route_flagged, w.route_uncertain_margin, w.route_audit_share";
export type TRankSettingRow = {
  flag_threshold: number;
  rank_strategy: TRankStrategy;
  flagged_first: boolean;
  random_share: number;
  route_flagged: boolean;
  route_uncertain_margin: number | null;
  route_audit_share: number;
};

/** RANK_SETTING_COLUMNS as read, plus the active model's non-toxic output, as queueFields takes them. */
export function rankSettingsOf(row: TRankSettingRow, nonToxicIndex: number): TRankSettings {
  return {
    flagThreshold: row.flag_threshold,
    rankStrategy: row.rank_strategy,
    isFlaggedFirst: row.flagged_first,
    randomShare: row.random_share,
    nonToxicIndex,
    route: {
      flagThreshold: row.flag_threshold,
      isRouteFlagged: row.route_flagged,
      routeUncertainMargin: row.route_uncertain_margin,
      routeAuditShare: row.route_audit_share,
    },
  };
}

/**
 * Queue priority and flags of one excerpt from its prediction, per the workspace's ranking settings.
 * A live line (`live` given: sent through the machine API) is audit when its id falls in the routing share
 * (route_audit_share), not random_share: only that sample of live traffic is queued whatever the model says,
 * so only it may count as audit, or flagged lines routed to the queue would leak into the gold set and bias
 * it. Re-ranking keeps a live item's audit flag as it was routed (`live.isAudit`): a share changed since
 * must not make earlier flagged items audit.
 */
export function queueFields(
  excerptId: string,
  probs: ArrayLike<number>,
  occurredAtMs: number,
  s: TRankSettings,
  live?: { isAudit?: boolean },
): { priority: number; isFlagged: boolean; isAudit: boolean } {
  const ranked = queuePriority({
    probs,
    nonToxicIndex: s.nonToxicIndex,
    threshold: s.flagThreshold,
    strategy: s.rankStrategy,
    isFlaggedFirst: s.isFlaggedFirst,
    excerptId,
    occurredAtMs,
  });
  const isAudit = live ? (live.isAudit ?? isAuditSample(excerptId, s.route.routeAuditShare)) : isAuditSample(excerptId, s.randomShare);
  // The audit slice ignores the model: a uniform sample whose labels measure accuracy without bias.
  if (isAudit) return { priority: auditPriority(excerptId), isFlagged: ranked.isFlagged, isAudit: true };
  return { ...ranked, isAudit: false };
}

/** Why a live line enters the review queue under these settings, or null when it stays out (lib/ranking/route.ts). */
export function liveRoute(excerptId: string, probs: ArrayLike<number>, s: TRankSettings): TRouteReason | null {
  return routeLiveLine({ excerptId, probs, nonToxicIndex: s.nonToxicIndex }, s.route);
}

/** Top category and toxic score of a probability row. */
export function predictionFacts(probs: ArrayLike<number>, nonToxicIndex: number): { top: number; confidence: number; toxicScore: number } {
  let top = 0;
  for (let k = 1; k < probs.length; k++) if (probs[k] > probs[top]) top = k;
  return { top, confidence: probs[top], toxicScore: 1 - probs[nonToxicIndex] };
}
