import { describe, expect, it } from "vitest";
import { calibrateLogProbs } from "./calibrator.ts";
import { brierBinary, calibrationFigures, expectedCalibrationError, meanNll, reliabilityDiagram } from "./reliability.ts";
import { calibrationExample } from "./worked-example.ts";

const ex = calibrationExample();
const uncalibrated = { probs: calibrateLogProbs({ method: "none" }, ex.logProbs, ex.classes), classes: ex.classes };

describe("reliability diagram and ECE", () => {
  it("match the Python reference on the worked example (15 bins, top label)", () => {
    const r = reliabilityDiagram(uncalibrated, ex.labels);
    expect(r.bins).toHaveLength(15);
    for (const [b, bin] of r.bins.entries()) {
      const want = ex.expected.uncalibratedReliability.bins[b];
      expect(bin.count, `bin ${b}`).toBe(want.count);
      expect(bin.lower).toBeCloseTo(want.lower, 12);
      expect(bin.upper).toBeCloseTo(want.upper, 12);
      if (want.confidence === null) expect(bin.confidence).toBeNull();
      else expect(bin.confidence!).toBeCloseTo(want.confidence, 12);
      if (want.accuracy === null) expect(bin.accuracy).toBeNull();
      else expect(bin.accuracy!).toBeCloseTo(want.accuracy, 12);
    }
    expect(r.ece!).toBeCloseTo(ex.expected.uncalibratedReliability.ece!, 12);
    const figures = calibrationFigures(uncalibrated, ex.labels, ex.nonToxicIndex);
    expect(figures.ece!).toBeCloseTo(ex.expected.uncalibrated.ece!, 12);
    expect(figures.nll!).toBeCloseTo(ex.expected.uncalibrated.nll!, 12);
    expect(figures.brierBinary!).toBeCloseTo(ex.expected.uncalibrated.brierBinary!, 12);
  });

  it("is 0 for a perfectly calibrated bin and the gap otherwise, computed by hand", () => {
    // four rows at confidence 0.75, three right: a calibrated bin
    const probs = [0.75, 0.25, 0.75, 0.25, 0.25, 0.75, 0.25, 0.75];
    expect(expectedCalibrationError({ probs, classes: 2 }, [0, 1, 1, 1])).toBeCloseTo(0, 15);
    // two rows at 0.9, both wrong: gap 0.9 over all rows
    expect(expectedCalibrationError({ probs: [0.9, 0.1, 0.1, 0.9], classes: 2 }, [1, 0])).toBeCloseTo(0.9, 15);
    // an upper edge belongs to its bin: confidence 1 lands in the last bin, 0.8 = 12/15 in bin 11
    const edge = reliabilityDiagram({ probs: [1, 0, 0.2, 0.8], classes: 2 }, [0, 1]);
    expect(edge.bins[14].count).toBe(1);
    expect(edge.bins[11].count).toBe(1);
  });

  it("Brier and NLL by hand", () => {
    const rows = { probs: [0.8, 0.2, 0.3, 0.7], classes: 2 };
    // toxic scores 0.2 (label non-toxic) and 0.7 (label toxic)
    expect(brierBinary(rows, [0, 1], 0)).toBeCloseTo((0.2 ** 2 + 0.3 ** 2) / 2, 15);
    expect(meanNll(rows, [0, 1])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 15);
    // a confident miss costs a finite amount
    expect(meanNll({ probs: [1, 0], classes: 2 }, [1])).toBeCloseTo(-Math.log(1e-30), 9);
  });

  it("refuses inputs that do not line up, naming what is wrong", () => {
    expect(() => reliabilityDiagram({ probs: [0.5, 0.5, 1], classes: 2 }, [0])).toThrow(/multiple of 2 classes/);
    expect(() => reliabilityDiagram({ probs: [0.5, 0.5], classes: 2 }, [0, 1])).toThrow(/differ in length/);
    expect(() => reliabilityDiagram({ probs: [0.5, 0.5], classes: 2 }, [2])).toThrow(/outside \[0, 2\)/);
  });
});
