import { describe, expect, it } from "vitest";
import { evaluateClassifier } from "./evaluate.ts";

// labels in model column order; non-toxic last to check the toxic score uses nonToxicIndex
const LABELS = ["hate", "harassment", "non-toxic"];
const PROBS = [
  [0.7, 0.2, 0.1], // hate → hate, toxic 0.9
  [0.1, 0.6, 0.3], // harassment → harassment, toxic 0.7
  [0.5, 0.1, 0.4], // non-toxic → predicted hate, toxic 0.6
  [0.1, 0.1, 0.8], // non-toxic → non-toxic, toxic 0.2
  [0.2, 0.3, 0.5], // hate → predicted non-toxic, toxic 0.5
];
const Y = [0, 1, 2, 2, 0];

describe("evaluateClassifier", () => {
  it("computes binary scores on the toxic score at the threshold", () => {
    const r = evaluateClassifier({ probs: PROBS, yTrue: Y, labels: LABELS, nonToxicIndex: 2, threshold: 0.55 });
    // flagged: items 0, 1, 2 → tp 2 (0, 1), fp 1 (2), fn 1 (4), tn 1 (3)
    expect(r.binary).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 1, precision: 2 / 3, recall: 2 / 3 });
    // toxic scores: positives 0.9, 0.7, 0.5 vs negatives 0.6, 0.2 → 5 of 6 pairs ranked right
    expect(r.binary.rocAuc).toBeCloseTo(5 / 6, 15);
    expect(r.binary.precisionInterval.estimate).toBeCloseTo(2 / 3, 15);
    expect(r.n).toBe(5);
  });

  it("computes fine-grained scores on the argmax class, every category listed", () => {
    const r = evaluateClassifier({ probs: PROBS, yTrue: Y, labels: LABELS, nonToxicIndex: 2, threshold: 0.5 });
    expect(r.fineGrained.accuracy).toBeCloseTo(3 / 5, 15);
    expect(r.fineGrained.confusion).toEqual({
      labels: LABELS,
      matrix: [
        [1, 0, 1],
        [0, 1, 0],
        [1, 0, 1],
      ],
    });
    expect(r.fineGrained.perCategory.map((c) => [c.label, c.precision, c.recall, c.support])).toEqual([
      ["hate", 0.5, 0.5, 2],
      ["harassment", 1, 1, 1],
      ["non-toxic", 0.5, 0.5, 2],
    ]);
    expect(r.fineGrained.macro!.f1).toBeCloseTo(2 / 3, 15);
  });

  it("keeps the PR curve within the point cap, ending at (recall 0, precision 1)", () => {
    const r = evaluateClassifier({ probs: PROBS, yTrue: Y, labels: LABELS, nonToxicIndex: 2, threshold: 0.5, prCurveMaxPoints: 3 });
    expect(r.prCurve.thresholds.length).toBe(3);
    expect(r.prCurve.precision.length).toBe(4);
    expect(r.prCurve.recall.at(-1)).toBe(0);
  });

  it("returns undefined metrics, not NaN, for an empty evaluation set", () => {
    const r = evaluateClassifier({ probs: [], yTrue: [], labels: LABELS, nonToxicIndex: 2, threshold: 0.5 });
    expect(r.binary.rocAuc).toBeNull();
    expect(r.binary.averagePrecision).toBeNull();
    expect(r.fineGrained.accuracy).toBeNull();
    expect(r.fineGrained.macro).toBeNull();
    expect(JSON.stringify(r)).not.toContain("NaN");
  });

  it("says which item is malformed", () => {
    expect(() => evaluateClassifier({ probs: [[1, 0]], yTrue: [0], labels: LABELS, nonToxicIndex: 2, threshold: 0.5 })).toThrow(
      /item 0 has 2 probabilities for 3 labels/,
    );
    expect(() => evaluateClassifier({ probs: PROBS, yTrue: [0, 1, 2, 2, 7], labels: LABELS, nonToxicIndex: 2, threshold: 0.5 })).toThrow(
      /label of item 4 \(7\)/,
    );
    expect(() => evaluateClassifier({ probs: PROBS, yTrue: Y, labels: LABELS, nonToxicIndex: 3, threshold: 0.5 })).toThrow(/nonToxicIndex/);
    expect(() => evaluateClassifier({ probs: PROBS, yTrue: [0], labels: LABELS, nonToxicIndex: 2, threshold: 0.5 })).toThrow(/5 probability rows for 1 labels/);
  });
});
