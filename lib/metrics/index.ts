/**
 * The shared metric math (model evaluation, threshold calibration, dashboard trends, inter-annotator
 * agreement). Pure functions only: callers load labels and predictions, these compute. Results agree
 * with scikit-learn to 1e-9 (see parity.test.ts and model/tests/metrics/make_fixtures.py).
 */
export {
  type TBinaryCounts,
  type TBinaryScores,
  type TClfCurve,
  type TPrCurve,
  type TRocCurve,
  averagePrecision,
  averagePrecisionFromCurve,
  binaryClfCurve,
  binaryCounts,
  binaryScores,
  precisionRecallCurve,
  predictAtThreshold,
  rocAuc,
  rocCurve,
  safeRatio,
  scoresFromCounts,
  trapezoidArea,
} from "./binary.ts";
export {
  type TClassScores,
  type TClassificationReport,
  type TConfusionMatrix,
  type TLabel,
  type TOvrAuc,
  accuracy,
  argmax,
  classCounts,
  classificationReport,
  confusionMatrix,
  ovrRocAuc,
  uniqueSortedLabels,
} from "./multiclass.ts";
export {
  type TAlpha,
  type TPairKappa,
  type TRaterId,
  type TRating,
  cohenKappa,
  krippendorffAlphaNominal,
  krippendorffAlphaPerCategory,
  pairwiseCohenKappa,
  ratingsToUnits,
} from "./agreement.ts";
export {
  type TBootstrapOptions,
  type TInterval,
  type TScoresWithIntervals,
  f1IntervalAnalytic,
  f1IntervalBootstrap,
  f1StandardError,
  normalQuantile,
  quantileSorted,
  scoresWithIntervals,
  twoSidedZ,
  wilsonInterval,
} from "./intervals.ts";
export {
  type TThresholdChoice,
  type TThresholdTarget,
  type TTradeoffRow,
  chooseThreshold,
  thinRows,
  thresholdTradeoff,
} from "./threshold.ts";
export { type TCategoryMetrics, type TEvaluation, type TEvaluationInput, evaluateClassifier } from "./evaluate.ts";
