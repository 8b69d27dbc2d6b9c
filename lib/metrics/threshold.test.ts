import { describe, expect, it } from "vitest";
import { binaryScores, predictAtThreshold } from "./binary.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { chooseThreshold, thinRows, thresholdTradeoff } from "./threshold.ts";

const Y = [false, false, true, true];
const S = [0.1, 0.4, 0.35, 0.8];

describe("thresholdTradeoff", () => {
  it("lists every distinct cut, fewest flags first, with hand-checked scores", () => {
    const rows = thresholdTradeoff(Y, S);
    expect(rows.map((r) => r.threshold)).toEqual([0.8, 0.4, 0.35, 0.1]);
    expect(rows.map((r) => r.precision)).toEqual([1, 0.5, 2 / 3, 0.5]);
    expect(rows.map((r) => r.recall)).toEqual([0.5, 0.5, 1, 1]);
    expect(rows.map((r) => r.flaggedRate)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(rows[2]).toMatchObject({ tp: 2, fp: 1, fn: 0, tn: 1 });
  });

  it("agrees with flagging at each threshold on random data", () => {
    const rand = seededRandom(5);
    const y = Array.from({ length: 200 }, () => rand() < 0.3);
    const s = y.map((t) => Math.round(((t ? 0.3 : 0) + rand() * 0.7) * 20) / 20);
    for (const row of thresholdTradeoff(y, s)) {
      const direct = binaryScores(y, predictAtThreshold(s, row.threshold));
      expect(row).toMatchObject({
        tp: direct.tp,
        fp: direct.fp,
        fn: direct.fn,
        tn: direct.tn,
        precision: direct.precision,
        recall: direct.recall,
        f1: direct.f1,
      });
    }
  });

  it("is empty for no items", () => {
    expect(thresholdTradeoff([], [])).toEqual([]);
  });
});

describe("chooseThreshold", () => {
  const rows = thresholdTradeoff(Y, S);

  it("takes the highest recall among cuts that reach the precision target", () => {
    expect(chooseThreshold(rows, { metric: "precision", atLeast: 0.6 })).toMatchObject({ isTargetMet: true, row: { threshold: 0.35 } });
    expect(chooseThreshold(rows, { metric: "precision", atLeast: 0.9 })).toMatchObject({ isTargetMet: true, row: { threshold: 0.8 } });
  });

  it("takes the highest precision among cuts that reach the recall target", () => {
    expect(chooseThreshold(rows, { metric: "recall", atLeast: 1 })).toMatchObject({ row: { threshold: 0.35 } });
    expect(chooseThreshold(rows, { metric: "recall", atLeast: 0.5 })).toMatchObject({ row: { threshold: 0.8 } });
  });

  it("on equal recall prefers the higher precision, then fewer flags", () => {
    const tied = thresholdTradeoff([true, false, true, false], [0.9, 0.5, 0.5, 0.1]);
    // 0.5 and 0.1 both give recall 1; 0.5 has precision 2/3 over 0.1's 1/2
    expect(chooseThreshold(tied, { metric: "precision", atLeast: 0.5 })!.row.threshold).toBe(0.5);
  });

  it("takes the best F1", () => {
    expect(chooseThreshold(rows, { metric: "f1" })!.row).toMatchObject({ threshold: 0.35, f1: 0.8 });
  });

  it("reports an unreachable target with the closest cut", () => {
    const r = chooseThreshold(thresholdTradeoff([true, false], [0.3, 0.9]), { metric: "precision", atLeast: 0.8 });
    expect(r).toMatchObject({ isTargetMet: false, row: { threshold: 0.3, precision: 0.5 } });
  });

  it("has nothing to choose without items and refuses a target outside [0, 1]", () => {
    expect(chooseThreshold([], { metric: "f1" })).toBeNull();
    expect(() => chooseThreshold(rows, { metric: "recall", atLeast: 90 })).toThrow(/must lie in \[0, 1\]/);
  });
});

describe("thinRows", () => {
  it("keeps the first and last row and at most maxRows", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => i);
    const thin = thinRows(rows, 50);
    expect(thin.length).toBe(50);
    expect(thin[0]).toBe(0);
    expect(thin.at(-1)).toBe(999);
    expect(thinRows([1, 2, 3], 10)).toEqual([1, 2, 3]);
    expect(() => thinRows(rows, 1)).toThrow(/at least 2/);
  });
});
