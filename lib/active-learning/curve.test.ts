import { describe, expect, it } from "vitest";
import { isGoalMet, labelsToReach, meanCurve, meanLabelsToReach, meanSd, normalisedAulc } from "./curve.ts";

const curve = [
  { labels: 100, f1: 0.5 },
  { labels: 200, f1: 0.6 },
  { labels: 300, f1: 0.7 },
  { labels: 400, f1: 0.65 },
];

describe("learning-curve figures", () => {
  it("labelsToReach finds the first point at or above the target", () => {
    expect(labelsToReach(curve, 0.6)).toBe(200);
    expect(labelsToReach(curve, 0.61)).toBe(300);
    expect(labelsToReach(curve, 0.71)).toBeNull();
  });

  it("normalisedAulc is the trapezoid area over the label range", () => {
    // (0.55 + 0.65 + 0.675) × 100 / 300
    expect(normalisedAulc(curve)).toBeCloseTo(0.625, 12);
    expect(
      normalisedAulc([
        { labels: 100, f1: 0.8 },
        { labels: 6000, f1: 0.8 },
      ]),
    ).toBeCloseTo(0.8, 12);
    expect(normalisedAulc([{ labels: 5, f1: 0.3 }])).toBe(0.3);
    expect(() => normalisedAulc([])).toThrow(RangeError);
    expect(() =>
      normalisedAulc([
        { labels: 2, f1: 0 },
        { labels: 2, f1: 1 },
      ]),
    ).toThrow(/increase/);
  });

  it("meanSd uses the sample standard deviation", () => {
    expect(meanSd([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(5 / 3) });
    expect(meanSd([7])).toEqual({ mean: 7, sd: 0 });
  });

  it("meanCurve averages seeds point-wise and refuses misaligned curves", () => {
    const other = curve.map((p) => ({ ...p, f1: p.f1 + 0.1 }));
    const m = meanCurve([curve, other]);
    expect(m[0].labels).toBe(100);
    expect(m[0].mean).toBeCloseTo(0.55, 12);
    expect(m[0].sd).toBeCloseTo(Math.SQRT2 * 0.05, 12);
    expect(() => meanCurve([curve, curve.slice(1)])).toThrow(RangeError);
  });

  it("meanLabelsToReach is null unless every seed reaches the target", () => {
    const late = curve.map((p) => ({ ...p, f1: p.f1 - 0.1 }));
    expect(meanLabelsToReach([curve, curve], 0.6)).toEqual({ mean: 200, perSeed: [200, 200] });
    expect(meanLabelsToReach([curve, late], 0.6)).toEqual({ mean: 250, perSeed: [200, 300] });
    expect(meanLabelsToReach([curve, late], 0.7)).toEqual({ mean: null, perSeed: [300, null] });
  });

  it("isGoalMet needs half the labels of random and a larger area", () => {
    const base = { defaultAulc: 0.7, randomAulc: 0.6, budget: 6000 };
    expect(isGoalMet({ ...base, defaultLabels: 1000, randomLabels: 2000 })).toBe(true);
    expect(isGoalMet({ ...base, defaultLabels: 1100, randomLabels: 2000 })).toBe(false);
    expect(isGoalMet({ ...base, defaultLabels: 1000, randomLabels: 2000, defaultAulc: 0.6 })).toBe(false);
    expect(isGoalMet({ ...base, defaultLabels: null, randomLabels: null })).toBe(false);
    expect(isGoalMet({ ...base, defaultLabels: 3000, randomLabels: null })).toBe(true);
    expect(isGoalMet({ ...base, defaultLabels: 3100, randomLabels: null })).toBe(false);
  });
});
