import type { TReliability } from "@/lib/calibration/reliability.ts";
import type { TEvaluation } from "@/lib/metrics/index.ts";
import type { TLabelSetSnapshot } from "./snapshot.ts";

/** What evaluateModelVersion stores under model_version.metrics.evaluation. */
export type TStoredEvaluation = TEvaluation & {
  evaluatedAt: string;
  /** column order of perCategory and the confusion matrix, as category ids */
  categoryIds: number[];
  goldSet: TLabelSetSnapshot & { heldOut: number; audit: number };
  /** calibration of the served probabilities on the gold set (absent in evaluations stored before it; null: no gold) */
  calibration?: { reliability: TReliability; brierBinary: number | null; nll: number | null } | null;
};

/** What the trainer stores under model_version.metrics.trainingSet. */
export type TTrainingSetSnapshot = TLabelSetSnapshot & { goldExcluded: number };

/** model_version.metrics as written by the trainer, the importer and the evaluator. */
export type TVersionMetrics = {
  validationMacroF1?: number;
  trainSeconds?: number;
  examples?: number;
  trainingSet?: TTrainingSetSnapshot;
  evaluation?: TStoredEvaluation;
  [key: string]: unknown;
};
