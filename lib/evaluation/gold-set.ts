/**
 * The evaluation split, defined once. The unbiased gold set of a workspace is:
 *  - every labelled excerpt imported as held-out test data (excerpt.held_out), and
 *  - every labelled excerpt whose STANDING label (lib/labels, the one derivation rule) was set by a
 *    decision on the random audit slice (decision.is_audit).
 * Labels from the uncertainty-ranked part of the queue are never gold: those items were chosen
 * because the model struggles on them, so measuring on them overstates errors. Training excludes
 * the whole gold set, so a version is never evaluated on what it learned from.
 */
import { deriveLabel, type TDecisionFact } from "@/lib/labels/derive-label.ts";

export type TGoldSource = "held_out" | "audit";

export type TAuditedDecisionFact = TDecisionFact & { isAudit: boolean };

/**
 * Why an excerpt belongs to the gold set, or null when it does not. A held-out excerpt is gold
 * whatever its decisions say; otherwise the decision that set its current label must be an audit one.
 */
export function goldSourceOf(input: {
  isHeldOut: boolean;
  decisions: readonly TAuditedDecisionFact[];
}): { source: TGoldSource; categoryId: number | null } | null {
  if (input.isHeldOut) return { source: "held_out", categoryId: deriveLabel(input.decisions).categoryId };
  if (!input.decisions.some((d) => d.isAudit && d.kind === "label")) return null;
  const derived = deriveLabel(input.decisions);
  if (derived.labelDecisionId === null) return null;
  const standing = input.decisions.find((d) => String(d.id) === derived.labelDecisionId);
  return standing?.isAudit ? { source: "audit", categoryId: derived.categoryId } : null;
}
