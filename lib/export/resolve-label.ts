import { compareIds } from "@/lib/ids/compare-ids.ts";
import { deriveLabel, SENIOR_ORIGINS, type TDecisionFact } from "@/lib/labels/derive-label.ts";
import type { TLabelRule } from "./params.ts";

/**
 * Label resolution: turns an excerpt's append-only decision history into one training label.
 * Pure; the server hands it every label and reversal decision of one excerpt.
 */

/**
 * Decision origins whose label always wins: a senior moderator's adjudication of a disagreement or re-review
 * of a suspected label error (lib/labels' SENIOR_ORIGINS: one rule for the app, the trainer and the export).
 */
export const ADJUDICATION_ORIGINS: ReadonlySet<string> = SENIOR_ORIGINS;

export type TDecisionInput = {
  /** decision id (BIGINT as a string) */
  id: string;
  kind: "label" | "reversal" | "skip";
  userId: number;
  categoryId: number | null;
  /** decision id this one undoes (reversals only) */
  reversesId: string | null;
  origin: string;
  /** set when the decision settles a disagreement; also true for origins in ADJUDICATION_ORIGINS */
  isAdjudicated?: boolean;
  isAudit: boolean;
  createdAtMs: number;
  modelVersionId: number | null;
  suggestedCategoryId: number | null;
  suggestedConfidence: number | null;
  toxicScore: number | null;
};

export type TResolvedLabel = {
  categoryId: number;
  /** how the label was chosen */
  method: "adjudicated" | "latest" | "majority";
  /** majority vote with a tie among the top categories; the label is then the latest of the tied */
  isDisputed: boolean;
  /** moderators whose (latest) vote counts */
  votes: number;
  /** moderators voting for the resolved label */
  agreeing: number;
  /** agreeing / votes */
  agreement: number;
  /** any counted decision came from the random audit slice */
  isAudit: boolean;
  /** the decision the label is taken from: its model suggestion is the one "at labelling time" */
  decision: TDecisionInput;
};

// Commit order, as in lib/labels: decisions on one excerpt are written under its row lock, so id order is
// the order they took effect; created_at is each transaction's start and inverts it when two overlap.
const compareOrder = (a: TDecisionInput, b: TDecisionInput) => compareIds(a.id, b.id);

const isSenior = (d: TDecisionInput) => !!d.isAdjudicated || ADJUDICATION_ORIGINS.has(d.origin);

/**
 * Which decisions stand undone, by lib/labels' rule (a reversal undoes its target unless it is itself
 * reversed: redo chains). The export reads only label and reversal decisions, so a reversal of a skip
 * (and any chain hanging off it) points outside the list; it cannot touch a label and is left out.
 */
export function reversedDecisionIds(decisions: readonly TDecisionInput[]): Set<string> {
  if (!decisions.some((d) => d.kind === "reversal")) return new Set();
  let facts: TDecisionFact[] = decisions.map((d) => ({
    id: d.id,
    kind: d.kind,
    categoryId: d.categoryId,
    reversesId: d.reversesId,
    userId: d.userId,
    createdAt: new Date(d.createdAtMs),
    origin: isSenior(d) ? "adjudication" : d.origin,
  }));
  for (;;) {
    const present = new Set(facts.map((f) => String(f.id)));
    const kept = facts.filter((f) => f.kind !== "reversal" || present.has(String(f.reversesId)));
    if (kept.length === facts.length) break;
    facts = kept;
  }
  return deriveLabel(facts).reversedIds;
}

/**
 * The resolved label, or null when no counted label decision remains (never labelled, all undone, or
 * none by the selected moderators). Each moderator votes once, with their latest decision. Reversals,
 * redo chains, seniority and order are lib/labels' rule, so with rule "latest" and no moderator filter
 * the export's label is exactly the app's (deriveLabel), which the trainer reads from the excerpt's cache;
 * "majority" differs only in counting one vote per moderator.
 */
export function resolveLabel(decisions: readonly TDecisionInput[], opts: { rule: TLabelRule; moderatorIds?: readonly number[] }): TResolvedLabel | null {
  // Most excerpts carry exactly one label: answer without the general machinery (same result).
  if (decisions.length === 1) {
    const d = decisions[0];
    if (d.kind !== "label" || d.categoryId === null) return null;
    if (opts.moderatorIds && opts.moderatorIds.length > 0 && !opts.moderatorIds.includes(d.userId)) return null;
    const method = isSenior(d) ? "adjudicated" : opts.rule;
    return { categoryId: d.categoryId, method, isDisputed: false, votes: 1, agreeing: 1, agreement: 1, isAudit: d.isAudit, decision: d };
  }
  const reversed = reversedDecisionIds(decisions);
  const allowed = opts.moderatorIds && opts.moderatorIds.length > 0 ? new Set(opts.moderatorIds) : null;
  const live = decisions
    .filter((d) => d.kind === "label" && d.categoryId !== null && !reversed.has(d.id) && (!allowed || allowed.has(d.userId)))
    .sort(compareOrder);
  if (live.length === 0) return null;

  const latestByUser = new Map<number, TDecisionInput>();
  for (const d of live) latestByUser.set(d.userId, d);
  const votes = [...latestByUser.values()].sort(compareOrder);
  const isAudit = live.some((d) => d.isAudit);
  const tally = (categoryId: number) => votes.filter((v) => v.categoryId === categoryId).length;
  const result = (decision: TDecisionInput, method: TResolvedLabel["method"], isDisputed: boolean): TResolvedLabel => {
    const agreeing = tally(decision.categoryId!);
    return {
      categoryId: decision.categoryId!,
      method,
      isDisputed,
      votes: votes.length,
      // an adjudicator may not be among the voters' latest decisions; they still agree with themselves
      agreeing: Math.max(agreeing, 1),
      agreement: Math.max(agreeing, 1) / Math.max(votes.length, 1),
      isAudit,
      decision,
    };
  };

  const adjudicated = live.filter(isSenior);
  if (adjudicated.length > 0) return result(adjudicated[adjudicated.length - 1], "adjudicated", false);

  if (opts.rule === "latest") return result(live[live.length - 1], "latest", false);

  const counts = new Map<number, number>();
  for (const v of votes) counts.set(v.categoryId!, (counts.get(v.categoryId!) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const leaders = new Set([...counts].filter(([, c]) => c === top).map(([id]) => id));
  // among the leaders, the most recent vote carries the label (also when disputed, so the row is usable)
  const winner = votes.filter((v) => leaders.has(v.categoryId!)).at(-1)!;
  return result(winner, "majority", leaders.size > 1);
}
