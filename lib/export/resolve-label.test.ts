import { describe, expect, it } from "vitest";
import { resolveLabel, type TDecisionInput } from "./resolve-label.ts";

let nextId = 1;
function d(userId: number, categoryId: number | null, t: number, extra: Partial<TDecisionInput> = {}): TDecisionInput {
  return {
    id: String(nextId++),
    kind: "label",
    userId,
    categoryId,
    reversesId: null,
    origin: "queue",
    isAudit: false,
    createdAtMs: t,
    modelVersionId: 7,
    suggestedCategoryId: 1,
    suggestedConfidence: 0.9,
    toxicScore: 0.8,
    ...extra,
  };
}
const reversal = (of: TDecisionInput, t: number): TDecisionInput => ({ ...d(of.userId, null, t), kind: "reversal", reversesId: of.id });

describe("resolveLabel", () => {
  it("returns null without a live label decision", () => {
    expect(resolveLabel([], { rule: "latest" })).toBeNull();
    const a = d(1, 2, 10);
    expect(resolveLabel([a, reversal(a, 11)], { rule: "latest" })).toBeNull();
    expect(resolveLabel([{ ...d(1, null, 5), kind: "skip" }], { rule: "majority" })).toBeNull();
  });

  it("latest: the most recent live decision wins, undone ones are ignored", () => {
    const a = d(1, 2, 10);
    const b = d(2, 3, 20);
    const c = d(3, 4, 30);
    const r = resolveLabel([c, a, b, reversal(c, 31)], { rule: "latest" })!;
    expect(r.categoryId).toBe(3);
    expect(r.method).toBe("latest");
    expect(r.votes).toBe(2);
    expect(r.agreeing).toBe(1);
    expect(r.agreement).toBe(0.5);
    expect(r.decision).toBe(b);
  });

  it("latest: equal times are ordered by numeric id (10 after 9)", () => {
    const a = { ...d(1, 2, 10), id: "9" };
    const b = { ...d(2, 3, 10), id: "10" };
    expect(resolveLabel([b, a], { rule: "latest" })!.categoryId).toBe(3);
  });

  it("majority: one vote per moderator (their latest), ties are disputed and take the latest tied vote", () => {
    const votes = [d(1, 2, 10), d(1, 3, 11), d(2, 2, 12), d(3, 3, 13)];
    // user 1 changed to 3 → votes: 3 (u1), 2 (u2), 3 (u3)
    const r = resolveLabel(votes, { rule: "majority" })!;
    expect(r).toMatchObject({ categoryId: 3, isDisputed: false, votes: 3, agreeing: 2 });
    expect(r.agreement).toBeCloseTo(2 / 3, 12);
    const tie = resolveLabel([d(1, 2, 10), d(2, 3, 20)], { rule: "majority" })!;
    expect(tie).toMatchObject({ categoryId: 3, isDisputed: true, votes: 2, agreeing: 1 });
  });

  it("an adjudicated decision always wins, by origin or by flag, under either rule", () => {
    const base = [d(1, 2, 10), d(2, 2, 20), d(3, 2, 30)];
    const byOrigin = d(9, 5, 5, { origin: "adjudication" });
    const byFlag = d(8, 6, 1, { isAdjudicated: true });
    for (const rule of ["latest", "majority"] as const) {
      expect(resolveLabel([...base, byOrigin], { rule })).toMatchObject({ categoryId: 5, method: "adjudicated", isDisputed: false });
      // two adjudications: the later commit (id), whatever created_at says (lib/labels' order)
      expect(resolveLabel([...base, byOrigin, byFlag], { rule })!.categoryId).toBe(6);
    }
    const undone = resolveLabel([...base, byOrigin, reversal(byOrigin, 40)], { rule: "latest" })!;
    expect(undone).toMatchObject({ categoryId: 2, method: "latest" });
  });

  it("gives the same answer for a single decision as the general path does", () => {
    for (const extra of [{}, { origin: "adjudication" }, { isAudit: true }]) {
      const one = d(4, 3, 10, extra);
      const skip = { ...d(5, null, 1), kind: "skip" as const };
      for (const rule of ["latest", "majority"] as const) {
        // a skip never counts, so [one, skip] takes the general path to the same place
        expect(resolveLabel([one], { rule })).toEqual(resolveLabel([one, skip], { rule }));
        expect(resolveLabel([one], { rule, moderatorIds: [9] })).toBeNull();
      }
    }
  });

  it("counts only the selected moderators' decisions", () => {
    const r = resolveLabel([d(1, 2, 10), d(2, 3, 20)], { rule: "latest", moderatorIds: [1] })!;
    expect(r.categoryId).toBe(2);
    expect(resolveLabel([d(1, 2, 10)], { rule: "latest", moderatorIds: [5] })).toBeNull();
  });

  it("reports the audit slice and the suggestion from the deciding decision", () => {
    const b = d(2, 2, 5, { modelVersionId: 1 });
    const a = d(1, 2, 10, { isAudit: true, modelVersionId: 3, suggestedConfidence: 0.42 });
    const r = resolveLabel([a, b], { rule: "majority" })!;
    expect(r.isAudit).toBe(true);
    expect(r.decision.modelVersionId).toBe(3);
    expect(r.decision.suggestedConfidence).toBe(0.42);
  });
});
