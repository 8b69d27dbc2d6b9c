import { describe, expect, it } from "vitest";
import {
  averagePrecision,
  binaryClfCurve,
  binaryCounts,
  binaryScores,
  precisionRecallCurve,
  predictAtThreshold,
  rocAuc,
  rocCurve,
  scoresFromCounts,
  trapezoidArea,
} from "./binary.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";

// sklearn's documentation example for average_precision_score / roc_auc_score
const Y = [false, false, true, true];
const S = [0.1, 0.4, 0.35, 0.8];

/** AUC by its definition: the share of (positive, negative) pairs ranked right, ties counting ½. */
function pairwiseAuc(y: boolean[], s: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (!y[i]) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j]) continue;
      pairs++;
      wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe("binaryScores", () => {
  it("counts and scores a hand-checked case", () => {
    const r = binaryScores([true, true, false, false, true], [true, false, true, false, true]);
    expect(r).toMatchObject({ tp: 2, fn: 1, fp: 1, tn: 1, support: 3 });
    expect(r.precision).toBeCloseTo(2 / 3, 15);
    expect(r.recall).toBeCloseTo(2 / 3, 15);
    expect(r.f1).toBeCloseTo(2 / 3, 15);
  });

  it("reports 0 where sklearn's zero_division=0 does", () => {
    expect(binaryScores([true, false], [false, false])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(binaryScores([false, false], [false, false])).toMatchObject({ precision: 0, recall: 0, f1: 0, tn: 2 });
    expect(binaryScores([], [])).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it("F1 is the harmonic mean of precision and recall", () => {
    const s = scoresFromCounts({ tp: 7, fp: 3, fn: 5, tn: 100 });
    expect(s.f1).toBeCloseTo((2 * s.precision * s.recall) / (s.precision + s.recall), 14);
  });

  it("refuses inputs of different lengths", () => {
    expect(() => binaryCounts([true], [true, false])).toThrow(/differ in length/);
  });

  it("flags at score ≥ threshold, like the queue", () => {
    expect(predictAtThreshold([0.2, 0.5, 0.7], 0.5)).toEqual([false, true, true]);
  });
});

describe("rocAuc", () => {
  it("matches the hand count on sklearn's example", () => {
    expect(rocAuc(Y, S)).toBeCloseTo(0.75, 15);
  });

  it("counts a tie between a positive and a negative as one half", () => {
    expect(rocAuc([true, false], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([true, false, false], [0.5, 0.5, 0.2])).toBeCloseTo(0.75, 15);
    expect(rocAuc([true, false, true, false], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
  });

  it("is 1 for a perfect ranking and 0 for a reversed one", () => {
    expect(rocAuc([false, true, false, true], [0.2, 0.9, 0.1, 0.7])).toBe(1);
    expect(rocAuc([true, false, true, false], [0.2, 0.9, 0.1, 0.7])).toBe(0);
  });

  it("is undefined (null) with one class or no items, where sklearn gives NaN", () => {
    expect(rocAuc([true, true], [0.1, 0.9])).toBeNull();
    expect(rocAuc([false, false], [0.1, 0.9])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
  });

  it("equals the pairwise (Mann–Whitney) definition on random data with heavy ties", () => {
    const rand = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + Math.floor(rand() * 60);
      const y = Array.from({ length: n }, () => rand() < 0.4);
      if (!y.includes(true) || !y.includes(false)) continue;
      const s = y.map((t) => Math.round((t ? 0.3 : 0) + rand() * 10) / 10);
      expect(rocAuc(y, s)).toBeCloseTo(pairwiseAuc(y, s), 12);
    }
  });

  it("rejects a NaN score instead of ranking it somewhere", () => {
    expect(() => rocAuc([true, false], [Number.NaN, 0.2])).toThrow(/index 0 is not a finite number/);
  });
});

describe("rocCurve and binaryClfCurve", () => {
  it("starts at (0, 0) with an infinite threshold and ends at (1, 1)", () => {
    const c = rocCurve(Y, S);
    expect(c.thresholds[0]).toBe(Infinity);
    expect([c.fpr[0], c.tpr[0]]).toEqual([0, 0]);
    expect([c.fpr.at(-1), c.tpr.at(-1)]).toEqual([1, 1]);
  });

  it("drops collinear points only when asked (sklearn's default)", () => {
    const y = [true, true, true, false];
    const s = [0.9, 0.8, 0.7, 0.1];
    expect(rocCurve(y, s, { dropIntermediate: false }).thresholds).toEqual([Infinity, 0.9, 0.8, 0.7, 0.1]);
    expect(rocCurve(y, s).thresholds).toEqual([Infinity, 0.9, 0.7, 0.1]);
  });

  it("groups equal scores into one cut", () => {
    expect(binaryClfCurve([true, false, true], [0.5, 0.5, 0.2])).toEqual({ tps: [1, 2], fps: [1, 1], thresholds: [0.5, 0.2] });
  });

  it("integrates in either x direction", () => {
    expect(trapezoidArea([0, 1], [1, 1])).toBe(1);
    expect(trapezoidArea([1, 0], [1, 1])).toBe(1);
  });
});

describe("precisionRecallCurve and averagePrecision", () => {
  it("matches the hand-computed curve of sklearn's example", () => {
    const c = precisionRecallCurve(Y, S);
    expect(c.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(c.precision).toEqual([0.5, 2 / 3, 0.5, 1, 1]);
    expect(c.recall).toEqual([1, 1, 0.5, 0.5, 0]);
  });

  it("gives sklearn's documented average precision of 0.8333", () => {
    expect(averagePrecision(Y, S)).toBeCloseTo(0.5 + 1 / 3, 15);
  });

  it("is 1 for a perfect ranking", () => {
    expect(averagePrecision([false, true, false, true], [0.2, 0.9, 0.1, 0.7])).toBe(1);
  });

  it("sets recall to 1 without positives (as sklearn) and leaves AP undefined", () => {
    expect(precisionRecallCurve([false, false], [0.1, 0.3]).recall).toEqual([1, 1, 0]);
    expect(averagePrecision([false, false], [0.1, 0.3])).toBeNull();
  });

  it("is the single (1, 0) point for no items", () => {
    expect(precisionRecallCurve([], [])).toEqual({ precision: [1], recall: [0], thresholds: [] });
  });
});
