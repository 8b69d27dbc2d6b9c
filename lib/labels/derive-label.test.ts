import { describe, expect, it } from "vitest";
import { deriveLabel, LabelDerivationError, type TDecisionFact } from "./derive-label.ts";

const t0 = new Date("2026-11-28T10:00:00Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);

function label(id: number, categoryId: number, userId = 1): TDecisionFact {
  return { id: String(id), kind: "label", categoryId, reversesId: null, userId, createdAt: at(id) };
}
function skip(id: number, userId = 1): TDecisionFact {
  return { id: String(id), kind: "skip", categoryId: null, reversesId: null, userId, createdAt: at(id) };
}
function reversal(id: number, reversesId: number, userId = 1): TDecisionFact {
  return { id: String(id), kind: "reversal", categoryId: null, reversesId: String(reversesId), userId, createdAt: at(id) };
}

describe("deriveLabel", () => {
  it("has no label without decisions", () => {
    const r = deriveLabel([]);
    expect(r.categoryId).toBeNull();
    expect(r.labelDecisionId).toBeNull();
    expect(r.labelledByUserId).toBeNull();
    expect(r.labelledAt).toBeNull();
    expect(r.reversedIds.size).toBe(0);
  });

  it("takes a single label", () => {
    const r = deriveLabel([label(1, 7, 3)]);
    expect(r).toMatchObject({ categoryId: 7, labelDecisionId: "1", labelledByUserId: 3, labelledAt: at(1) });
  });

  it("takes the latest label when several moderators labelled", () => {
    expect(deriveLabel([label(1, 7, 1), label(2, 8, 2), label(3, 9, 3)]).categoryId).toBe(9);
  });

  it("orders by id, not by the order given", () => {
    expect(deriveLabel([label(3, 9), label(1, 7), label(2, 8)]).categoryId).toBe(9);
  });

  it("orders ids numerically, not as text (10 is after 9)", () => {
    expect(deriveLabel([label(10, 5), label(9, 4)]).categoryId).toBe(5);
  });

  it("orders by id even when createdAt disagrees (created_at is the transaction start)", () => {
    const late = { ...label(2, 8), createdAt: at(-100) };
    expect(deriveLabel([label(1, 7), late]).categoryId).toBe(8);
  });

  it("accepts bigint ids beyond 2^53", () => {
    const big = 2n ** 60n;
    const r = deriveLabel([
      { ...label(0, 4), id: big },
      { ...label(0, 5), id: big + 1n },
    ]);
    expect(r.categoryId).toBe(5);
    expect(r.labelDecisionId).toBe(String(big + 1n));
  });

  it("ignores skips", () => {
    expect(deriveLabel([skip(1)]).categoryId).toBeNull();
    expect(deriveLabel([label(1, 7), skip(2, 2)]).categoryId).toBe(7);
    expect(deriveLabel([skip(1), label(2, 7), skip(3)]).labelDecisionId).toBe("2");
  });

  it("a reversal of the only label clears it", () => {
    const r = deriveLabel([label(1, 7), reversal(2, 1)]);
    expect(r.categoryId).toBeNull();
    expect([...r.reversedIds]).toEqual(["1"]);
  });

  it("a reversal of the latest label falls back to the previous one", () => {
    const r = deriveLabel([label(1, 7, 1), label(2, 8, 2), reversal(3, 2, 2)]);
    expect(r).toMatchObject({ categoryId: 7, labelDecisionId: "1", labelledByUserId: 1 });
  });

  it("a reversal of an older label keeps the latest", () => {
    const r = deriveLabel([label(1, 7), label(2, 8), reversal(3, 1)]);
    expect(r.categoryId).toBe(8);
    expect(r.reversedIds.has("1")).toBe(true);
  });

  it("reversing every label leaves none", () => {
    expect(deriveLabel([label(1, 7), label(2, 8), reversal(3, 2), reversal(4, 1)]).categoryId).toBeNull();
  });

  it("a reversed skip is reported but does not change the label", () => {
    const r = deriveLabel([label(1, 7), skip(2), reversal(3, 2)]);
    expect(r.categoryId).toBe(7);
    expect([...r.reversedIds]).toEqual(["2"]);
  });

  it("a reversed reversal (redo) restores its target", () => {
    const r = deriveLabel([label(1, 7), reversal(2, 1), reversal(3, 2)]);
    expect(r.categoryId).toBe(7);
    expect([...r.reversedIds]).toEqual(["2"]);
  });

  it("three reversals deep undoes again", () => {
    const r = deriveLabel([label(1, 7), reversal(2, 1), reversal(3, 2), reversal(4, 3)]);
    expect(r.categoryId).toBeNull();
    expect([...r.reversedIds].sort()).toEqual(["1", "3"]);
  });

  it("a label after an undo wins", () => {
    const r = deriveLabel([label(1, 7), reversal(2, 1), label(3, 9)]);
    expect(r).toMatchObject({ categoryId: 9, labelDecisionId: "3" });
  });

  it("does not depend on input order for reversal chains", () => {
    const ds = [label(1, 7), label(2, 8), reversal(3, 2), reversal(4, 3), skip(5), reversal(6, 5)];
    const expected = deriveLabel(ds);
    for (let i = 0; i < 10; i++) {
      const shuffled = [...ds].sort(() => Math.random() - 0.5);
      const r = deriveLabel(shuffled);
      expect(r.categoryId).toBe(expected.categoryId);
      expect([...r.reversedIds].sort()).toEqual([...expected.reversedIds].sort());
    }
    expect(expected.categoryId).toBe(8);
  });

  it("refuses a reversal whose target is missing", () => {
    expect(() => deriveLabel([reversal(2, 1)])).toThrow(LabelDerivationError);
    expect(() => deriveLabel([reversal(2, 1)])).toThrow(/decision 1/);
  });

  it("refuses a reversal that points forward in time", () => {
    expect(() => deriveLabel([reversal(1, 2), label(2, 7)])).toThrow(/later decision/);
  });

  it("refuses a reversal without a target and a label without a category", () => {
    expect(() => deriveLabel([{ ...reversal(2, 1), reversesId: null }, label(1, 7)])).toThrow(/names no decision/);
    expect(() => deriveLabel([{ ...label(1, 7), categoryId: null }])).toThrow(/no category/);
  });

  it("refuses duplicate ids", () => {
    expect(() => deriveLabel([label(1, 7), label(1, 8)])).toThrow(/twice/);
  });
});

describe("deriveLabel with adjudication", () => {
  const adjudication = (id: number, categoryId: number, userId = 9): TDecisionFact => ({ ...label(id, categoryId, userId), origin: "adjudication" });

  it("two disagreeing overlap labels: the latest stands until adjudicated", () => {
    expect(deriveLabel([label(1, 3, 1), label(2, 4, 2)]).categoryId).toBe(4);
    const r = deriveLabel([label(1, 3, 1), label(2, 4, 2), adjudication(3, 3)]);
    expect(r.categoryId).toBe(3);
    expect(r.labelDecisionId).toBe("3");
    expect(r.labelledByUserId).toBe(9);
  });

  it("an adjudication wins over any later ordinary label, from the queue or a review", () => {
    const r = deriveLabel([label(1, 3, 1), label(2, 4, 2), adjudication(3, 5), label(4, 6, 1), { ...label(5, 7, 2), origin: "review" }]);
    expect(r.categoryId).toBe(5);
    expect(r.labelDecisionId).toBe("3");
  });

  it("a later adjudication replaces an earlier one", () => {
    expect(deriveLabel([adjudication(1, 5), label(2, 6), adjudication(3, 7), label(4, 8)]).categoryId).toBe(7);
  });

  it("a reversed adjudication no longer wins: the latest standing ordinary label is back", () => {
    expect(deriveLabel([label(1, 3, 1), label(2, 4, 2), adjudication(3, 5), label(4, 6, 1), reversal(5, 3, 9)]).categoryId).toBe(6);
    expect(deriveLabel([label(1, 3, 1), adjudication(2, 5), reversal(3, 2, 9), reversal(4, 3, 9)]).categoryId).toBe(5);
  });

  it("skips alone still give no label", () => {
    expect(deriveLabel([skip(1), skip(2, 2)]).categoryId).toBeNull();
  });
});
