import { compareIds } from "@/lib/ids/compare-ids.ts";
/**
 * Label derivation: decisions are the truth, an excerpt's current label is computed from them.
 * Pure (no I/O) so the server, the import and any audit script derive the label the same way;
 * server code stores the result in excerpt.current_category_id as a cache, never a second rule in SQL.
 */

export type TDecisionKind = "label" | "skip" | "reversal";

export type TDecisionFact = {
  /** BIGINT id as a string (or bigint); ids come from one sequence, so a higher id is a later decision */
  id: string | bigint;
  kind: TDecisionKind;
  categoryId: number | null;
  reversesId: string | bigint | null;
  userId: number;
  createdAt: Date;
  /** where it was made; a senior's word ("adjudication", "rereview") wins over every other label (absent = an ordinary decision) */
  origin?: string;
};

/** A senior moderator's resolution of an overlap disagreement: it outranks every later ordinary label. */
export const ADJUDICATION_ORIGIN = "adjudication";
/**
 * A senior moderator's re-review of a label the model's out-of-fold probabilities flagged as likely wrong
 * (issue 16). It ranks as an adjudication, not as a review: it is a senior's final word on a label in
 * doubt, so a later ordinary label must not quietly undo it, and in a majority vote the mislabelling
 * moderator's vote must not tie it.
 */
export const REREVIEW_ORIGIN = "rereview";
/** Origins of a senior's final word: the latest unreversed one of them is the label. */
export const SENIOR_ORIGINS: ReadonlySet<string> = new Set([ADJUDICATION_ORIGIN, REREVIEW_ORIGIN]);

export type TDerivedLabel = {
  /** the current category, or null when no effective label decision exists */
  categoryId: number | null;
  /** the decision that set it */
  labelDecisionId: string | null;
  labelledByUserId: number | null;
  labelledAt: Date | null;
  /** ids (as strings) of decisions undone by an effective reversal */
  reversedIds: Set<string>;
};

export class LabelDerivationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabelDerivationError";
  }
}

/**
 * The current label of one excerpt: its latest senior label (adjudication or re-review) that is not reversed, else its latest
 * label decision that is not reversed. Skips never change the label. A reversal undoes its target unless the reversal is itself reversed (a redo), so chains
 * are resolved newest first: a reversal always points at an older decision.
 *
 * Order is by id, not createdAt: created_at is the transaction's start time, whereas decisions on one
 * excerpt are written under that excerpt's row lock, so id order is commit order.
 */
export function deriveLabel(decisions: readonly TDecisionFact[]): TDerivedLabel {
  const byId = new Map<string, TDecisionFact>();
  for (const d of decisions) {
    const key = String(d.id);
    if (byId.has(key)) throw new LabelDerivationError(`decision ${key} appears twice`);
    if (d.kind === "label" && d.categoryId == null) throw new LabelDerivationError(`label decision ${key} has no category`);
    if (d.kind === "reversal" && d.reversesId == null) throw new LabelDerivationError(`reversal ${key} names no decision to reverse`);
    byId.set(key, d);
  }
  const newestFirst = [...byId.values()].sort((a, b) => compareIds(b.id, a.id));

  const reversedIds = new Set<string>();
  for (const d of newestFirst) {
    const key = String(d.id);
    if (d.kind !== "reversal" || reversedIds.has(key)) continue;
    const target = String(d.reversesId);
    const targetDecision = byId.get(target);
    if (!targetDecision) throw new LabelDerivationError(`reversal ${key} points at decision ${target}, which is not among this excerpt's decisions`);
    if (compareIds(targetDecision.id, d.id) >= 0) throw new LabelDerivationError(`reversal ${key} points at a later decision ${target}`);
    reversedIds.add(target);
  }

  const standing = newestFirst.filter((d) => d.kind === "label" && !reversedIds.has(String(d.id)));
  const current = standing.find((d) => d.origin !== undefined && SENIOR_ORIGINS.has(d.origin)) ?? standing[0];
  return {
    categoryId: current?.categoryId ?? null,
    labelDecisionId: current ? String(current.id) : null,
    labelledByUserId: current?.userId ?? null,
    labelledAt: current?.createdAt ?? null,
    reversedIds,
  };
}
