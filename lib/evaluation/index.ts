/** The evaluation split and the pure parts of evaluation, comparison and calibration (issue 3 §1). */
export { type TAuditedDecisionFact, type TGoldSource, goldSourceOf } from "./gold-set.ts";
export { type TLabelSetSnapshot, snapshotLabelSet } from "./snapshot.ts";
export { type TLabelSpace, alignProbs, buildLabelSpace, labelColumns } from "./label-space.ts";
export { type TCompareInput, type TMetricDelta, type TVersionComparison, compareOnGoldSet } from "./compare.ts";
export { type TCalibration, type TCalibrationTarget, calibrate } from "./calibrate.ts";
export type { TStoredEvaluation, TTrainingSetSnapshot, TVersionMetrics } from "./types.ts";
