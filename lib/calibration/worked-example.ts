/**
 * The worked example of model/tests/make_trust_fixtures.py (Python, numpy/scipy) for the unit tests:
 * inputs as flat typed arrays, expected values as Python computed them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { TCalibration } from "../model/manifest.ts";
import type { TReliability, TCalibrationFigures } from "./reliability.ts";

type TCalibrationFixture = {
  input: { logProbs: number[][]; labels: number[]; folds: number[]; classes: number; nonToxicIndex: number };
  expected: {
    uncalibratedReliability: Pick<TReliability, "bins" | "ece">;
    uncalibrated: TCalibrationFigures;
    temperature: number;
    vector: { scale: number[]; shift: number[] };
    calibration: TCalibration;
    calibratedProbs: number[][];
  };
};

export function calibrationExample() {
  const raw = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", "worked-example.json"), "utf8")) as TCalibrationFixture;
  return {
    logProbs: Float64Array.from(raw.input.logProbs.flat()),
    labels: Int32Array.from(raw.input.labels),
    folds: Int32Array.from(raw.input.folds),
    classes: raw.input.classes,
    nonToxicIndex: raw.input.nonToxicIndex,
    expected: { ...raw.expected, calibratedProbs: Float64Array.from(raw.expected.calibratedProbs.flat()) },
  };
}
