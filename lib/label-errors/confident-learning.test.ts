import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findLabelIssues, type TRankBy } from "./confident-learning.ts";

type TExpected = {
  thresholds: (number | null)[];
  confidentJoint: number[][];
  likelyLabels: number[];
  isIssue: number[];
  selfConfidence: number[];
  normalizedMargin: number[];
  quality: number[];
  issues: number[];
  suspicion: number[];
};
const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", "worked-example.json"), "utf8")) as {
  input: { probs: number[][]; labels: number[]; classes: number; flipped: number[] };
  expected: Record<TRankBy, TExpected>;
};
const probs = Float64Array.from(fixture.input.probs.flat());
const labels = Int32Array.from(fixture.input.labels);

describe("confident learning against the Python reference (model/label_errors.py, from the paper)", () => {
  for (const rankBy of ["self_confidence", "normalized_margin"] as const) {
    it(`thresholds, confident joint, issues and their ranking by ${rankBy}`, () => {
      const want = fixture.expected[rankBy];
      const got = findLabelIssues({ probs, classes: fixture.input.classes, labels, rankBy });
      got.thresholds.forEach((t, j) => expect(t!).toBeCloseTo(want.thresholds[j]!, 12));
      expect(got.confidentJoint).toEqual(want.confidentJoint);
      expect(Array.from(got.likelyLabels)).toEqual(want.likelyLabels);
      expect(Array.from(got.isIssue)).toEqual(want.isIssue);
      expect(Array.from(got.issues)).toEqual(want.issues);
      for (let i = 0; i < labels.length; i++) {
        expect(got.selfConfidence[i]).toBeCloseTo(want.selfConfidence[i], 12);
        expect(got.normalizedMargin[i]).toBeCloseTo(want.normalizedMargin[i], 12);
        expect(got.suspicion[i]).toBeCloseTo(want.suspicion[i], 12);
      }
    });
  }

  it("finds the flipped labels of the example ahead of the rest", () => {
    const got = findLabelIssues({ probs, classes: fixture.input.classes, labels });
    const flips = fixture.input.flipped.reduce((a, b) => a + b, 0);
    const top = Array.from(got.issues.slice(0, flips));
    expect(top.filter((i) => fixture.input.flipped[i] === 1).length / flips).toBeGreaterThan(0.6);
  });
});

describe("confident learning by hand", () => {
  it("uses per-class thresholds, so a rare class with low probabilities still claims its examples", () => {
    // class 1's own examples average p(1) = 0.25: a row labelled 0 with p(1) = 0.35 is counted as class 1
    const rows = [
      [0.9, 0.1], // labelled 0: p(0) ≥ t_0 = 0.783 → fine
      [0.8, 0.2], // labelled 0: fine
      [0.65, 0.35], // labelled 0, but p(1) ≥ t_1 and p(0) < t_0 → likely 1: an issue
      [0.85, 0.15], // labelled 1, but p(0) ≥ t_0 and p(1) < t_1 → likely 0: an issue
      [0.65, 0.35], // labelled 1: fine
    ];
    const got = findLabelIssues({ probs: rows.flat(), classes: 2, labels: [0, 0, 0, 1, 1] });
    expect(got.thresholds[0]).toBeCloseTo((0.9 + 0.8 + 0.65) / 3, 15);
    expect(got.thresholds[1]).toBeCloseTo(0.25, 15);
    expect(Array.from(got.likelyLabels)).toEqual([0, 0, 1, 0, 1]);
    expect(got.confidentJoint).toEqual([
      [2, 1],
      [1, 1],
    ]);
    // normalized margins: row 3 is 0.15 − 0.85 = −0.7, row 2 is 0.65 − 0.35 = 0.3 → row 3 first
    expect(Array.from(got.issues)).toEqual([3, 2]);
    expect(got.quality[3]).toBeCloseTo(0.15, 15);
  });

  it("a class nobody labelled is never a candidate; a row reaching no threshold is not counted", () => {
    const got = findLabelIssues({ probs: [0.5, 0.1, 0.4, 0.2, 0.7, 0.1], classes: 3, labels: [0, 1] });
    expect(got.thresholds[2]).toBeNull();
    expect(Array.from(got.isIssue)).toEqual([0, 0]);
    expect(() => findLabelIssues({ probs: [0.5, 0.5], classes: 2, labels: [2] })).toThrow(/outside/);
  });
});
