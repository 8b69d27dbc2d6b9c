import { describe, expect, it } from "vitest";
import { parseManifest } from "../model/manifest.ts";
import { bestF1Threshold, calibrateLogProbs, calibrateOutput, fitCalibration, fitTemperature, fitVectorScaling, logProbabilities } from "./calibrator.ts";
import { calibrationExample } from "./worked-example.ts";

const ex = calibrationExample();
const all = Int32Array.from(ex.labels, (_, i) => i);
const data = { logProbs: ex.logProbs, labels: ex.labels, classes: ex.classes, rows: all };

describe("calibrator fitting against the Python reference (scipy L-BFGS-B on the same objectives)", () => {
  it("temperature scaling finds the same T", () => {
    expect(fitTemperature(data)).toBeCloseTo(ex.expected.temperature, 6);
  });

  it("vector scaling finds the same scale and shift", () => {
    const { scale, shift } = fitVectorScaling(data);
    for (let k = 0; k < ex.classes; k++) {
      expect(scale[k], `scale ${k}`).toBeCloseTo(ex.expected.vector.scale[k], 5);
      expect(shift[k], `shift ${k}`).toBeCloseTo(ex.expected.vector.shift[k], 5);
    }
  });

  it("the held-out comparison, the choice, the refit and the default threshold agree", () => {
    const { calibration, probs } = fitCalibration({ ...ex, fittedOn: "out-of-fold" });
    const want = ex.expected.calibration;
    expect(calibration.method).toBe(want.method);
    expect(calibration.candidates.map((c) => c.method)).toEqual(want.candidates.map((c) => c.method));
    for (const [i, c] of calibration.candidates.entries()) {
      expect(c.nll!, `${c.method} nll`).toBeCloseTo(want.candidates[i].nll!, 6);
      expect(c.ece!, `${c.method} ece`).toBeCloseTo(want.candidates[i].ece!, 5);
      expect(c.brierBinary!, `${c.method} brier`).toBeCloseTo(want.candidates[i].brierBinary!, 6);
    }
    for (const key of ["ece", "nll", "brierBinary"] as const) {
      expect(calibration.before[key]!).toBeCloseTo(want.before[key]!, 12);
      expect(calibration.after[key]!).toBeCloseTo(want.after[key]!, 5);
    }
    for (let j = 0; j < probs.length; j++) expect(Math.abs(probs[j] - ex.expected.calibratedProbs[j])).toBeLessThan(1e-5);
    expect(calibration.flagThreshold!).toBeCloseTo(want.flagThreshold!, 5);
    expect(calibration.examples).toBe(240);
    expect(calibration.folds).toBe(5);
    // and the example really was miscalibrated, and is not any more
    expect(calibration.before.ece!).toBeGreaterThan(0.15);
    expect(calibration.after.ece!).toBeLessThan(0.05);
  });

  it("the block is a valid manifest calibration", () => {
    const { calibration } = fitCalibration({ ...ex, fittedOn: "out-of-fold" });
    const manifest = parseManifest({
      schemaVersion: 1,
      version: "v",
      kind: "hashed-linear",
      labels: ["ok", "insult", "threat"],
      nonToxicIndex: 0,
      featurizer: { type: "hashed-ngrams", buckets: 16, wordNgrams: [1, 1], charNgrams: [0, 0], lowercase: true, maxFeatures: 8, hashSeed: 0 },
      onnx: { outputName: "probs", outputIsProbability: true },
      training: { baseModel: "x", trainedAt: "2026-01-01", examples: 1, dataset: "d" },
      calibration,
    });
    expect(manifest.calibration?.method).toBe(calibration.method);
    expect(() => parseManifest({ ...manifest, calibration: { ...calibration, method: "vector", scale: [1], shift: [0] } })).toThrow(
      /one scale and one shift per label/,
    );
    expect(() => parseManifest({ ...manifest, calibration: { ...calibration, method: "temperature", temperature: undefined } })).toThrow(/needs a temperature/);
  });

  it("too little data, or a class missing for vector scaling, narrows the candidates", () => {
    const few = fitCalibration({ logProbs: ex.logProbs.slice(0, 30), labels: ex.labels.slice(0, 10), classes: 3, nonToxicIndex: 0, fittedOn: "out-of-fold" });
    expect(few.calibration.method).toBe("none");
    expect(few.calibration.chosenBy).toMatch(/needs ≥ 20/);
    // relabel every class-2 row as class 1: class 2 has no examples, so no per-class map is fitted for it
    const labels = Int32Array.from(ex.labels, (y) => (y === 2 ? 1 : y));
    const twoClass = fitCalibration({ logProbs: ex.logProbs, labels, folds: ex.folds, classes: 3, nonToxicIndex: 0, fittedOn: "out-of-fold" });
    expect(twoClass.calibration.candidates.map((c) => c.method)).toEqual(["none", "temperature"]);
  });
});

describe("the default threshold", () => {
  it("is the best-F1 cut moved halfway to the next lower score, so cleanly separated data gets a middle cut", () => {
    expect(bestF1Threshold([0.9999, 0.99, 0.02, 0.01], [true, true, false, false])).toBeCloseTo((0.99 + 0.02) / 2, 12);
    // cuts 0.9 → F1 2/3, 0.7 → 1/2, 0.6 → 0.8 (the best), 0.2 → 2/3: halfway between 0.6 and 0.2
    expect(bestF1Threshold([0.9, 0.7, 0.6, 0.2], [true, false, true, false])).toBeCloseTo(0.4, 12);
    expect(bestF1Threshold([0.4, 0.3], [true, true])).toBeNull();
  });
});

describe("applying a calibration", () => {
  it("an absent or 'none' map serves the model's own probabilities, bit for bit", () => {
    const out = Float32Array.of(0.2, 0.3, 0.5);
    expect(calibrateOutput(undefined, out, true)).toBe(out);
    expect(calibrateOutput({ method: "none" }, out, true)).toBe(out);
    const soft = calibrateOutput(undefined, Float32Array.of(0, Math.log(2)), false);
    expect(soft[1]).toBeCloseTo(2 / 3, 6);
  });

  it("temperature on probabilities equals temperature on logits (the map is on log-probabilities)", () => {
    const logits = Float32Array.of(2, -1, 0.5);
    const fromLogits = calibrateOutput({ method: "temperature", temperature: 2 }, logits, false);
    const probs = calibrateOutput(undefined, logits, false);
    const fromProbs = calibrateOutput({ method: "temperature", temperature: 2 }, probs, true);
    for (let k = 0; k < 3; k++) expect(fromProbs[k]).toBeCloseTo(fromLogits[k], 6);
    // and it is softmax(logits / 2)
    const e = [Math.exp(1), Math.exp(-0.5), Math.exp(0.25)];
    expect(fromLogits[0]).toBeCloseTo(e[0] / (e[0] + e[1] + e[2]), 6);
  });

  it("vector scaling moves the prior: a shift on the non-toxic log-probability lowers every toxic score", () => {
    const u = logProbabilities(Float32Array.of(0.4, 0.6), true);
    const p = calibrateLogProbs({ method: "vector", scale: [1, 1], shift: [Math.log(3), 0] }, u, 2);
    // odds 0.4·3 : 0.6
    expect(p[0]).toBeCloseTo(1.2 / 1.8, 7); // 0.4 went through float32
  });

  it("a zero probability stays finite and tiny", () => {
    const p = calibrateOutput({ method: "temperature", temperature: 3 }, Float32Array.of(1, 0), true);
    expect(p[1]).toBeGreaterThan(0);
    expect(p[1]).toBeLessThan(1e-9);
  });
});
