import { compareIds } from "@/lib/ids/compare-ids.ts";
import { deriveLabel, SENIOR_ORIGINS, type TDecisionFact } from "@/lib/labels/derive-label.ts";

const MODERATOR_ORIGINS = new Set(["queue", "review", undefined]);

/**
 * Each moderator's standing label on one excerpt: their latest label (queue or review) that is not
 * reversed. The same rule as the dashboard's agreement view (dash_multi_rated), for one excerpt.
 */
export function standingLabels(decisions: readonly TDecisionFact[]): Map<number, TDecisionFact> {
  const { reversedIds } = deriveLabel(decisions);
  const byUser = new Map<number, TDecisionFact>();
  for (const d of decisions) {
    if (d.kind !== "label" || !MODERATOR_ORIGINS.has(d.origin) || reversedIds.has(String(d.id))) continue;
    const seen = byUser.get(d.userId);
    if (!seen || compareIds(d.id, seen.id) > 0) byUser.set(d.userId, d);
  }
  return byUser;
}

/** An unreversed adjudication (or a senior's re-review, which ranks as one) exists: the excerpt is settled. */
export function isAdjudicated(decisions: readonly TDecisionFact[]): boolean {
  const { reversedIds } = deriveLabel(decisions);
  return decisions.some((d) => d.kind === "label" && d.origin !== undefined && SENIOR_ORIGINS.has(d.origin) && !reversedIds.has(String(d.id)));
}

/** Two or more moderators stand by different labels and no adjudication settled it. */
export function needsAdjudication(decisions: readonly TDecisionFact[]): boolean {
  const categories = new Set([...standingLabels(decisions).values()].map((d) => d.categoryId));
  return categories.size > 1 && !isAdjudicated(decisions);
}
