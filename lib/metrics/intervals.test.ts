import { describe, expect, it } from "vitest";
import {
  f1IntervalAnalytic,
  f1IntervalBootstrap,
  f1StandardError,
  normalQuantile,
  quantileSorted,
  scoresWithIntervals,
  twoSidedZ,
  wilsonInterval,
} from "./intervals.ts";

describe("normalQuantile", () => {
  it("gives the familiar critical values", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(twoSidedZ(0.9)).toBeCloseTo(1.6448536269514722, 14);
  });

  it("is antisymmetric around one half, deep into the tails", () => {
    // (1 − p is inexact in floating point for tiny p, so the tails tested stop at 1e-5)
    for (const p of [1e-5, 0.001, 0.05, 0.2, 0.45]) expect(normalQuantile(p)).toBeCloseTo(-normalQuantile(1 - p), 9);
    expect(normalQuantile(1e-300)).toBeCloseTo(-37.0471, 3);
  });

  it("refuses probabilities outside (0, 1)", () => {
    expect(() => normalQuantile(0)).toThrow(/strictly between 0 and 1/);
    expect(() => normalQuantile(1)).toThrow();
    expect(() => twoSidedZ(1.5)).toThrow(/confidence/);
  });
});

describe("wilsonInterval", () => {
  it("has the closed-form upper bound z²/(n + z²) at zero successes", () => {
    const z = twoSidedZ(0.95);
    const r = wilsonInterval(0, 10);
    expect(r).toMatchObject({ estimate: 0, lower: 0, confidence: 0.95 });
    expect(r.upper).toBeCloseTo((z * z) / (10 + z * z), 15);
  });

  it("mirrors at n successes and contains the estimate", () => {
    expect(wilsonInterval(10, 10).upper).toBe(1);
    expect(wilsonInterval(10, 10).lower).toBeCloseTo(1 - wilsonInterval(0, 10).upper, 15);
    const r = wilsonInterval(17, 23, 0.9);
    expect(r.lower).toBeLessThan(17 / 23);
    expect(r.upper).toBeGreaterThan(17 / 23);
  });

  it("narrows as the sample grows", () => {
    const width = (k: number, n: number) => wilsonInterval(k, n).upper - wilsonInterval(k, n).lower;
    expect(width(300, 1000)).toBeLessThan(width(30, 100));
    expect(width(30, 100)).toBeLessThan(width(3, 10));
  });

  it("says nothing is known with no trials", () => {
    expect(wilsonInterval(0, 0)).toEqual({ estimate: null, lower: 0, upper: 1, confidence: 0.95 });
  });

  it("refuses impossible counts", () => {
    expect(() => wilsonInterval(5, 3)).toThrow(/0 ≤ successes ≤ trials/);
    expect(() => wilsonInterval(1.5, 3)).toThrow();
  });
});

describe("F1 intervals", () => {
  it("has the delta-method standard error of a hand case", () => {
    // 4·8·4·12 / 20⁴
    expect(f1StandardError({ tp: 8, fp: 2, fn: 2, tn: 88 })).toBeCloseTo(Math.sqrt(0.0096), 15);
    expect(f1StandardError({ tp: 0, fp: 0, fn: 0, tn: 5 })).toBe(0);
  });

  it("builds a clipped normal interval around F1", () => {
    const r = f1IntervalAnalytic({ tp: 8, fp: 2, fn: 2, tn: 88 });
    expect(r.estimate).toBeCloseTo(0.8, 15);
    expect(r.lower).toBeCloseTo(0.8 - 1.959963984540054 * Math.sqrt(0.0096), 12);
    expect(r.upper).toBeCloseTo(Math.min(1, 0.8 + 1.959963984540054 * Math.sqrt(0.0096)), 12);
    expect(f1IntervalAnalytic({ tp: 0, fp: 0, fn: 0, tn: 3 })).toMatchObject({ estimate: null, lower: 0, upper: 1 });
  });

  it("bootstrap agrees with the delta method when counts are large", () => {
    const c = { tp: 400, fp: 100, fn: 100, tn: 400 };
    const boot = f1IntervalBootstrap(c, { iterations: 2000, seed: 3 });
    const analytic = f1IntervalAnalytic(c);
    const ratio = (boot.upper - boot.lower) / (analytic.upper - analytic.lower);
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
    expect(boot.lower).toBeLessThan(0.8);
    expect(boot.upper).toBeGreaterThan(0.8);
  });

  it("bootstrap is reproducible for a seed and wide on few labels", () => {
    const c = { tp: 3, fp: 1, fn: 2, tn: 4 };
    expect(f1IntervalBootstrap(c, { seed: 9 })).toEqual(f1IntervalBootstrap(c, { seed: 9 }));
    const larger = { tp: 31, fp: 12, fn: 17, tn: 40 };
    expect(f1IntervalBootstrap(larger, { seed: 9 })).not.toEqual(f1IntervalBootstrap(larger, { seed: 10 }));
    const r = f1IntervalBootstrap(c);
    expect(r.upper - r.lower).toBeGreaterThan(0.3);
    expect(f1IntervalBootstrap({ tp: 0, fp: 0, fn: 0, tn: 0 })).toMatchObject({ estimate: null, lower: 0, upper: 1 });
  });

  it("refuses a non-positive iteration count", () => {
    expect(() => f1IntervalBootstrap({ tp: 1, fp: 1, fn: 1, tn: 1 }, { iterations: 0 })).toThrow(/iterations/);
  });
});

describe("helpers", () => {
  it("quantileSorted interpolates linearly like numpy", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([7], 0.9)).toBe(7);
  });
});

describe("scoresWithIntervals", () => {
  it("marks a thin period and gives bands that contain the point estimates", () => {
    const thin = scoresWithIntervals({ tp: 4, fp: 2, fn: 1, tn: 5 });
    expect(thin.isTooFew).toBe(true);
    expect(thin.n).toBe(12);
    for (const band of [thin.precision, thin.recall, thin.f1, thin.accuracy]) {
      expect(band.lower).toBeLessThanOrEqual(band.estimate!);
      expect(band.upper).toBeGreaterThanOrEqual(band.estimate!);
    }
    expect(thin.accuracy.estimate).toBeCloseTo(9 / 12, 15);
  });

  it("is narrow and not thin on many labels, using the analytic F1 band past the bootstrap limit", () => {
    const c = { tp: 4000, fp: 1000, fn: 1000, tn: 4000 };
    const wide = scoresWithIntervals(c);
    expect(wide.isTooFew).toBe(false);
    expect(wide.f1).toEqual(f1IntervalAnalytic(c));
    expect(wide.f1.upper - wide.f1.lower).toBeLessThan(0.03);
  });
});
