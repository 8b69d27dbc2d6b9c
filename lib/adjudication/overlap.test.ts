import { describe, expect, it } from "vitest";
import type { TDecisionFact } from "@/lib/labels/derive-label.ts";
import { isAdjudicated, needsAdjudication, standingLabels } from "./overlap.ts";

const at = new Date("2026-11-28T10:00:00Z");
const label = (id: number, categoryId: number, userId: number, origin = "queue"): TDecisionFact => ({
  id: String(id),
  kind: "label",
  categoryId,
  reversesId: null,
  userId,
  createdAt: at,
  origin,
});
const reversal = (id: number, reversesId: number, userId: number): TDecisionFact => ({
  id: String(id),
  kind: "reversal",
  categoryId: null,
  reversesId: String(reversesId),
  userId,
  createdAt: at,
  origin: "queue",
});

describe("overlap agreement", () => {
  it("agreeing moderators need no adjudication", () => {
    expect(needsAdjudication([label(1, 3, 1), label(2, 3, 2)])).toBe(false);
  });

  it("a single moderator never needs adjudication", () => {
    expect(needsAdjudication([label(1, 3, 1), label(2, 4, 1)])).toBe(false);
  });

  it("disagreeing moderators do, until an adjudication settles it", () => {
    const two = [label(1, 3, 1), label(2, 4, 2)];
    expect(needsAdjudication(two)).toBe(true);
    expect(isAdjudicated(two)).toBe(false);
    const settled = [...two, label(3, 4, 9, "adjudication")];
    expect(isAdjudicated(settled)).toBe(true);
    expect(needsAdjudication(settled)).toBe(false);
    // a reversed adjudication reopens the dispute
    expect(needsAdjudication([...settled, reversal(4, 3, 9)])).toBe(true);
  });

  it("counts each moderator's latest unreversed label only", () => {
    const decisions = [label(1, 3, 1), label(2, 4, 2), label(3, 4, 1)];
    expect(needsAdjudication(decisions)).toBe(false);
    expect(standingLabels(decisions).get(1)?.categoryId).toBe(4);
    // moderator 1 undid their relabel: back to 3, a dispute again
    expect(needsAdjudication([...decisions, reversal(4, 3, 1)])).toBe(true);
    // a reversed label does not stand at all
    expect(standingLabels([label(1, 3, 1), reversal(2, 1, 1), label(3, 4, 2)]).has(1)).toBe(false);
  });

  it("ignores imported and adjudication labels when comparing moderators", () => {
    expect(standingLabels([label(1, 3, 1, "import"), label(2, 4, 2), label(3, 5, 9, "adjudication")]).size).toBe(1);
  });
});
