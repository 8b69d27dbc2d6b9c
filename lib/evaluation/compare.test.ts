import { describe, expect, it } from "vitest";
import { compareOnGoldSet } from "./compare.ts";

// Three classes, non-toxic = 0. A "good" model puts 0.8 on the truth; a "bad" one is right on a share only.
function probsFor(yTrue: number[], rightEvery: number): number[][] {
  return yTrue.map((y, i) => {
    const guess = i % rightEvery === 0 || rightEvery === 1 ? y : (y + 1) % 3;
    return [0, 1, 2].map((k) => (k === guess ? 0.8 : 0.1));
  });
}
const yTrue = Array.from({ length: 300 }, (_, i) => i % 3);

describe("compareOnGoldSet", () => {
  it("flags a clearly worse candidate on both binary and macro F1", () => {
    const r = compareOnGoldSet({ yTrue, candidateProbs: probsFor(yTrue, 2), activeProbs: probsFor(yTrue, 1), nonToxicIndex: 0, threshold: 0.5 });
    expect(r.n).toBe(300);
    expect(r.macroF1.active).toBe(1);
    expect(r.macroF1.delta).toBeLessThan(-0.3);
    expect(r.macroF1.isWorse).toBe(true);
    expect(r.isWorse).toBe(true);
    expect(r.macroF1.standardError).toBeGreaterThan(0);
  });

  it("does not flag a better or identical candidate", () => {
    const same = compareOnGoldSet({ yTrue, candidateProbs: probsFor(yTrue, 1), activeProbs: probsFor(yTrue, 1), nonToxicIndex: 0, threshold: 0.5 });
    expect(same.isWorse).toBe(false);
    expect(same.binaryF1.delta).toBe(0);
    const better = compareOnGoldSet({ yTrue, candidateProbs: probsFor(yTrue, 1), activeProbs: probsFor(yTrue, 2), nonToxicIndex: 0, threshold: 0.5 });
    expect(better.isWorse).toBe(false);
    expect(better.macroF1.delta).toBeGreaterThan(0);
  });

  it("treats a small drop on a tiny gold set as noise", () => {
    const y = [0, 1, 2, 0, 1, 2, 0, 1, 2, 1];
    const active = probsFor(y, 1);
    const candidate = active.map((row, i) => (i === 4 ? [0.1, 0.1, 0.8] : row)); // one miss out of 10
    const r = compareOnGoldSet({ yTrue: y, candidateProbs: candidate, activeProbs: active, nonToxicIndex: 0, threshold: 0.5 });
    expect(r.macroF1.delta).toBeLessThan(0);
    expect(r.macroF1.margin).toBeGreaterThan(-r.macroF1.delta);
    expect(r.isWorse).toBe(false);
  });

  it("is deterministic for a seed and refuses mismatched input", () => {
    const a = compareOnGoldSet({ yTrue, candidateProbs: probsFor(yTrue, 2), activeProbs: probsFor(yTrue, 1), nonToxicIndex: 0, threshold: 0.5 });
    const b = compareOnGoldSet({ yTrue, candidateProbs: probsFor(yTrue, 2), activeProbs: probsFor(yTrue, 1), nonToxicIndex: 0, threshold: 0.5 });
    expect(a).toEqual(b);
    expect(() => compareOnGoldSet({ yTrue, candidateProbs: [], activeProbs: [], nonToxicIndex: 0, threshold: 0.5 })).toThrow(/0 candidate/);
  });

  it("an empty gold set flags nothing", () => {
    const r = compareOnGoldSet({ yTrue: [], candidateProbs: [], activeProbs: [], nonToxicIndex: 0, threshold: 0.5 });
    expect(r).toMatchObject({ n: 0, isWorse: false });
  });
});
