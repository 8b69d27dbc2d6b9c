/**
 * One call that evaluates a model version on a set of human labels, in the shape of the published
 * results we compare against: binary (toxic vs non-toxic) P/R/F1/ROC-AUC and fine-grained
 * per-category and macro P/R/F1/ROC-AUC, accuracy, the confusion matrix and PR curve points.
 * Callers gather the labels (the unbiased gold set) and the stored probabilities; this stays pure.
 */
import { type TBinaryScores, averagePrecisionFromCurve, binaryScores, precisionRecallCurve, predictAtThreshold, rocAuc } from "./binary.ts";
import { type TInterval, f1IntervalAnalytic, wilsonInterval } from "./intervals.ts";
import { type TConfusionMatrix, argmax, classificationReport, ovrRocAuc } from "./multiclass.ts";
import { thinRows } from "./threshold.ts";

export type TEvaluationInput = {
  /** probs[i][j]: the model's probability that item i belongs to labels[j] (rows sum to 1) */
  probs: ArrayLike<ArrayLike<number>>;
  /** the human label of item i, as an index into `labels` */
  yTrue: ArrayLike<number>;
  /** the model's output classes in column order (categories and non-toxic) */
  labels: readonly string[];
  nonToxicIndex: number;
  /** flag iff toxic score = 1 − p(non-toxic) ≥ threshold */
  threshold: number;
  /** PR curve points kept (evenly thinned) so stored metrics stay small; default 200 */
  prCurveMaxPoints?: number;
  confidence?: number;
};

export type TCategoryMetrics = {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  predicted: number;
  rocAuc: number | null;
};

export type TEvaluation = {
  n: number;
  threshold: number;
  binary: TBinaryScores & {
    rocAuc: number | null;
    averagePrecision: number | null;
    precisionInterval: TInterval;
    recallInterval: TInterval;
    f1Interval: TInterval;
  };
  fineGrained: {
    accuracy: number | null;
    /** every output class, in `labels` order, including ones absent from this evaluation set */
    perCategory: TCategoryMetrics[];
    /**
     * sklearn's average="macro" over the classes that occur in the truth or the predictions (its
     * default label set); rocAuc is the one-vs-rest mean over classes that occur in the truth.
     */
    macro: { precision: number; recall: number; f1: number; rocAuc: number | null } | null;
    weighted: { precision: number; recall: number; f1: number } | null;
    confusion: TConfusionMatrix<string>;
  };
  prCurve: { precision: number[]; recall: number[]; thresholds: number[] };
};

export function evaluateClassifier(input: TEvaluationInput): TEvaluation {
  const { probs, yTrue, labels, nonToxicIndex, threshold, prCurveMaxPoints = 200, confidence = 0.95 } = input;
  const n = yTrue.length;
  if (probs.length !== n) throw new Error(`evaluateClassifier: ${probs.length} probability rows for ${n} labels`);
  if (!(nonToxicIndex >= 0 && nonToxicIndex < labels.length)) {
    throw new Error(`evaluateClassifier: nonToxicIndex ${nonToxicIndex} is outside the ${labels.length} labels`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(yTrue[i]) || yTrue[i] < 0 || yTrue[i] >= labels.length) {
      throw new Error(`evaluateClassifier: label of item ${i} (${yTrue[i]}) is not an index into the ${labels.length} labels`);
    }
    if (probs[i].length !== labels.length) {
      throw new Error(`evaluateClassifier: item ${i} has ${probs[i].length} probabilities for ${labels.length} labels`);
    }
  }

  const isToxic = new Array<boolean>(n);
  const toxic = new Float64Array(n);
  const yPred = new Array<number>(n);
  const yTrueArr = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    isToxic[i] = yTrue[i] !== nonToxicIndex;
    toxic[i] = 1 - probs[i][nonToxicIndex];
    yPred[i] = argmax(probs[i]);
    yTrueArr[i] = yTrue[i];
  }

  const bin = binaryScores(isToxic, predictAtThreshold(toxic, threshold));
  const pr = precisionRecallCurve(isToxic, toxic);
  // thin by index over the (threshold, precision, recall) triples, keeping the curve's end point
  const idx = thinRows(
    pr.thresholds.map((_, k) => k),
    Math.max(2, prCurveMaxPoints),
  );

  const allIdx = labels.map((_, j) => j);
  const full = classificationReport(yTrueArr, yPred, allIdx);
  const present = classificationReport(yTrueArr, yPred);
  const auc = ovrRocAuc(yTrueArr, probs, allIdx);

  return {
    n,
    threshold,
    binary: {
      ...bin,
      rocAuc: rocAuc(isToxic, toxic),
      averagePrecision: bin.support === 0 ? null : averagePrecisionFromCurve(pr),
      precisionInterval: wilsonInterval(bin.tp, bin.tp + bin.fp, confidence),
      recallInterval: wilsonInterval(bin.tp, bin.tp + bin.fn, confidence),
      f1Interval: f1IntervalAnalytic(bin, confidence),
    },
    fineGrained: {
      accuracy: full.accuracy,
      perCategory: full.perClass.map((c, j) => ({
        label: labels[j],
        precision: c.precision,
        recall: c.recall,
        f1: c.f1,
        support: c.support,
        predicted: c.predicted,
        rocAuc: auc.perClass[j].rocAuc,
      })),
      macro: present.macro && { ...present.macro, rocAuc: auc.macro },
      weighted: present.weighted,
      confusion: { labels: [...labels], matrix: full.confusion.matrix },
    },
    prCurve: {
      precision: [...idx.map((k) => pr.precision[k]), 1],
      recall: [...idx.map((k) => pr.recall[k]), 0],
      thresholds: idx.map((k) => pr.thresholds[k]),
    },
  };
}
