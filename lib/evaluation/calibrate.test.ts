import { describe, expect, it } from "vitest";
import { calibrate } from "./calibrate.ts";

const isToxic = [true, true, true, false, true, false, false, false];
const scores = [0.95, 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.1];

describe("calibrate", () => {
  it("picks the cut that meets a precision target with the most recall", () => {
    const r = calibrate({ isToxic, scores, target: { metric: "precision", atLeast: 0.8 }, currentThreshold: 0.5 });
    expect(r.choice?.isTargetMet).toBe(true);
    expect(r.choice?.row.threshold).toBe(0.6); // 4 of 5 flagged are toxic, all 4 toxic found
    expect(r.choice?.row.precision).toBeCloseTo(0.8, 12);
    expect(r.choice?.row.recall).toBe(1);
  });

  it("picks the cut that meets a recall target with the most precision", () => {
    const r = calibrate({ isToxic, scores, target: { metric: "recall", atLeast: 0.75 }, currentThreshold: 0.5 });
    expect(r.choice?.row.threshold).toBe(0.8);
    expect(r.choice?.row.precision).toBe(1);
  });

  it("reports today's cut and the full table", () => {
    const r = calibrate({ isToxic, scores, currentThreshold: 0.5 });
    expect(r.current?.threshold).toBe(0.6);
    expect(r.rows.map((x) => x.threshold)).toEqual(scores);
    expect(r.n).toBe(8);
    expect(r.positives).toBe(4);
    expect(r.choice).toBeNull();
  });

  it("says when a target cannot be met", () => {
    const r = calibrate({ isToxic: [true, false], scores: [0.2, 0.9], target: { metric: "precision", atLeast: 0.9 }, currentThreshold: 0.5 });
    expect(r.choice?.isTargetMet).toBe(false);
  });

  it("thins long tables but keeps both ends", () => {
    const n = 1000;
    const r = calibrate({
      isToxic: Array.from({ length: n }, (_, i) => i % 2 === 0),
      scores: Array.from({ length: n }, (_, i) => i / n),
      currentThreshold: 0.5,
      maxRows: 50,
    });
    expect(r.rows.length).toBe(50);
    expect(r.rows[0].threshold).toBeCloseTo(0.999, 12);
    expect(r.rows[49].threshold).toBe(0);
  });
});
