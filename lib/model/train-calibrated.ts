import { fitCalibration, MIN_CALIBRATION_EXAMPLES } from "../calibration/calibrator.ts";
import type { TCalibration } from "./manifest.ts";
import { assignFolds, DEFAULT_FOLDS } from "./cross-fit.ts";
import { trainHashedLinear, type TTrainTextsInput, type TTrainTextsResult } from "./train-linear.ts";

/**
 * The default model as the app trains it: out-of-fold probabilities by grouped k-fold cross-fitting,
 * a calibrator chosen and fitted on them, and the final model on every label. One function, so the
 * training job (server/registry/train-model-version.ts) and the benchmark (bench/trust.ts) cannot drift.
 */

export type TTrainCalibratedInput = Omit<TTrainTextsInput, "folds"> & {
  nonToxicIndex: number;
  /** stable identity per text (the excerpt id), for the fold hash */
  keys: readonly string[];
  /** conversation per text (null: none); a conversation never spans two folds */
  conversations: readonly (string | null)[];
  k?: number;
};

export type TTrainCalibratedResult = {
  trained: TTrainTextsResult;
  calibration: TCalibration;
  /** fold of each text; null when there were too few labels to cross-fit */
  folds: Int32Array | null;
  /** calibrated out-of-fold probabilities (row-major, texts × classes); null without folds */
  outOfFoldProbs: Float64Array | null;
};

export function trainCalibratedLinear(input: TTrainCalibratedInput): TTrainCalibratedResult {
  const n = input.texts.length;
  if (input.keys.length !== n || input.conversations.length !== n)
    throw new Error(`keys (${input.keys.length}), conversations (${input.conversations.length}) and texts (${n}) differ in length`);
  // With fewer labels than the calibrator can judge, cross-fitting would only cost time.
  const isCrossFit = n >= MIN_CALIBRATION_EXAMPLES;
  const folds = isCrossFit
    ? assignFolds(
        input.texts.map((text, i) => ({ key: input.keys[i], conversation: input.conversations[i], text, label: input.labels[i] })),
        { k: input.k ?? DEFAULT_FOLDS },
      )
    : null;
  const trained = trainHashedLinear({ ...input, folds: folds ?? undefined });
  const oof = trained.outOfFold;
  const fitted = fitCalibration({
    logProbs: oof ? oof.logProbs : new Float64Array(0),
    labels: oof ? input.labels : [],
    folds: oof ? oof.folds : [],
    classes: input.classes,
    nonToxicIndex: input.nonToxicIndex,
    fittedOn: "out-of-fold",
  });
  return { trained, calibration: fitted.calibration, folds, outOfFoldProbs: oof ? fitted.probs : null };
}
