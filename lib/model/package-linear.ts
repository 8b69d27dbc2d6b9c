import { parseManifest, type TCalibration, type TModelManifest } from "./manifest.ts";
import { buildLinearOnnx, LINEAR_OPSET, LINEAR_OUTPUT } from "./onnx-linear.ts";
import type { TTrainTextsResult } from "./train-linear.ts";

export const LINEAR_BASE_MODEL = "modloop-linear-trainer";

/** Turns a trained quick model into the model contract: ONNX bytes plus a validated manifest. */
export function packageLinearModel(
  trained: TTrainTextsResult,
  opts: {
    version: string;
    labels: string[];
    nonToxicIndex: number;
    dataset: string;
    metrics?: Record<string, unknown>;
    trainedAt?: Date;
    /** fitted on the out-of-fold probabilities (lib/model/train-calibrated.ts); absent: served uncalibrated */
    calibration?: TCalibration;
  },
): { onnx: Uint8Array; manifest: TModelManifest } {
  const onnx = buildLinearOnnx(trained, { producerVersion: opts.version });
  const manifest = parseManifest({
    schemaVersion: 1,
    version: opts.version,
    kind: "hashed-linear",
    labels: opts.labels,
    nonToxicIndex: opts.nonToxicIndex,
    featurizer: trained.featurizer,
    onnx: { file: "model.onnx", outputName: LINEAR_OUTPUT, outputIsProbability: true, opset: LINEAR_OPSET },
    training: {
      baseModel: LINEAR_BASE_MODEL,
      trainedAt: (opts.trainedAt ?? new Date()).toISOString(),
      examples: trained.examples,
      dataset: opts.dataset,
      params: {
        ...trained.params,
        iterations: trained.iterations,
        pseudoExamples: trained.pseudoExamples,
        validationMacroF1: trained.validationMacroF1,
        seconds: Math.round(trained.seconds * 1000) / 1000,
        ...(trained.outOfFold ? { crossFitFolds: trained.outOfFold.k, outOfFoldSeconds: Math.round(trained.outOfFold.seconds * 1000) / 1000 } : {}),
      },
    },
    metrics: opts.metrics ?? {},
    ...(opts.calibration ? { calibration: opts.calibration } : {}),
  });
  return { onnx, manifest };
}
