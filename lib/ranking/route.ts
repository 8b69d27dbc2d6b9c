/**
 * Which live lines enter the review queue. Live traffic (lines a game sends to the machine API) is far
 * more than moderators can read, so unlike an import, where every unlabelled excerpt is queued, a live
 * line is queued only when the workspace's routing settings say so. Pure: the API's live store and the
 * scoring worker (after a promotion) decide with this one function.
 */
import { isAuditSample, topTwo, toxicScore } from "./rank.ts";

export type TRouteSettings = {
  /** flag threshold on the toxic score */
  flagThreshold: number;
  /** route lines at or above the threshold */
  isRouteFlagged: boolean;
  /** route lines whose two likeliest categories are closer than this (p₁ − p₂ < margin); null = off */
  routeUncertainMargin: number | null;
  /** share of live lines, by a hash of the excerpt id, queued as the audit slice whatever the model says */
  routeAuditShare: number;
};

export type TRouteReason = "audit" | "flagged" | "uncertain";

/** p₁ − p₂ of a probability row (0 when the two best tie, 1 when one category has all the mass). */
export function topTwoMargin(probs: ArrayLike<number>): number {
  if (probs.length < 2) return 1;
  const [first, second] = topTwo(probs);
  return first - second;
}

/**
 * Why a live line enters the queue, or null when it does not. The audit slice comes first and ignores the
 * model (the same id hash as the queue's audit slice, at routeAuditShare), so the audited live lines are a
 * uniform sample of all live traffic and their labels measure accuracy on it without bias.
 */
export function routeLiveLine(
  input: { excerptId: string | number | bigint; probs: ArrayLike<number>; nonToxicIndex: number },
  s: TRouteSettings,
): TRouteReason | null {
  if (isAuditSample(input.excerptId, s.routeAuditShare)) return "audit";
  if (s.isRouteFlagged && toxicScore(input.probs, input.nonToxicIndex) >= s.flagThreshold) return "flagged";
  if (s.routeUncertainMargin !== null && topTwoMargin(input.probs) < s.routeUncertainMargin) return "uncertain";
  return null;
}
