/**
 * Fine-grained (multi-class) metrics with scikit-learn's semantics: per-category and macro
 * precision/recall/F1 with zero_division=0, accuracy, the confusion matrix in a given label order,
 * and one-vs-rest macro ROC-AUC. Labels may be category names or class indices.
 */
import { assertSameLength, rocAuc, safeRatio } from "./binary.ts";

export type TLabel = string | number;

/**
 * The sorted union of the labels present, as np.unique / sklearn's unique_labels order them:
 * numerically when all are numbers, otherwise by string comparison.
 */
export function uniqueSortedLabels<T extends TLabel>(...arrays: ArrayLike<T>[]): T[] {
  const seen = new Set<T>();
  for (const a of arrays) for (let i = 0; i < a.length; i++) seen.add(a[i]);
  const labels = [...seen];
  const isAllNumbers = labels.every((l) => typeof l === "number");
  if (isAllNumbers) return labels.sort((a, b) => (a as number) - (b as number));
  if (labels.some((l) => typeof l === "number")) {
    throw new Error("labels mix numbers and strings; pass one kind (sklearn refuses the mix too)");
  }
  return labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export type TConfusionMatrix<T extends TLabel = TLabel> = {
  /** row/column order */
  labels: T[];
  /** matrix[i][j] = items whose truth is labels[i] and prediction labels[j] (sklearn's layout) */
  matrix: number[][];
};

/** sklearn confusion_matrix(y_true, y_pred, labels): items with a label outside `labels` are left out. */
export function confusionMatrix<T extends TLabel>(yTrue: ArrayLike<T>, yPred: ArrayLike<T>, labels?: readonly T[]): TConfusionMatrix<T> {
  assertSameLength(yTrue, yPred, "confusionMatrix");
  const order = labels ? [...labels] : uniqueSortedLabels(yTrue, yPred);
  const index = new Map<T, number>();
  order.forEach((l, i) => {
    if (index.has(l)) throw new Error(`confusionMatrix: label ${String(l)} appears twice in labels`);
    index.set(l, i);
  });
  const matrix = order.map(() => new Array<number>(order.length).fill(0));
  for (let k = 0; k < yTrue.length; k++) {
    const i = index.get(yTrue[k]);
    const j = index.get(yPred[k]);
    if (i === undefined || j === undefined) continue;
    matrix[i][j]++;
  }
  return { labels: order, matrix };
}

/** sklearn accuracy_score; null for no items. */
export function accuracy<T extends TLabel>(yTrue: ArrayLike<T>, yPred: ArrayLike<T>): number | null {
  assertSameLength(yTrue, yPred, "accuracy");
  if (yTrue.length === 0) return null;
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

export type TClassScores<T extends TLabel = TLabel> = {
  label: T;
  precision: number;
  recall: number;
  f1: number;
  /** items whose truth is this label */
  support: number;
  /** items predicted as this label */
  predicted: number;
};

export type TClassificationReport<T extends TLabel = TLabel> = {
  perClass: TClassScores<T>[];
  /** unweighted mean over `labels` (sklearn average="macro"); null when there are no labels */
  macro: { precision: number; recall: number; f1: number } | null;
  /** support-weighted mean (sklearn average="weighted"); null when no item has a label in `labels` */
  weighted: { precision: number; recall: number; f1: number } | null;
  accuracy: number | null;
  confusion: TConfusionMatrix<T>;
};

/**
 * Per-class and averaged precision/recall/F1, as sklearn precision_recall_fscore_support with
 * zero_division=0. Pass `labels` to fix the set and order (e.g. all categories, even ones missing
 * from this evaluation set — they then count as 0 in the macro mean, exactly as in sklearn).
 */
export function classificationReport<T extends TLabel>(yTrue: ArrayLike<T>, yPred: ArrayLike<T>, labels?: readonly T[]): TClassificationReport<T> {
  const confusion = confusionMatrix(yTrue, yPred, labels);
  const k = confusion.labels.length;
  const perClass: TClassScores<T>[] = confusion.labels.map((label, i) => {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += confusion.matrix[i][j];
      predicted += confusion.matrix[j][i];
    }
    const tp = confusion.matrix[i][i];
    return {
      label,
      precision: safeRatio(tp, predicted),
      recall: safeRatio(tp, support),
      f1: safeRatio(2 * tp, support + predicted),
      support,
      predicted,
    };
  });
  const mean = (key: "precision" | "recall" | "f1", weights?: number[]) => {
    let s = 0;
    let w = 0;
    perClass.forEach((c, i) => {
      const wi = weights ? weights[i] : 1;
      s += c[key] * wi;
      w += wi;
    });
    return s / w;
  };
  const supports = perClass.map((c) => c.support);
  const totalSupport = supports.reduce((a, b) => a + b, 0);
  return {
    perClass,
    macro: k === 0 ? null : { precision: mean("precision"), recall: mean("recall"), f1: mean("f1") },
    weighted:
      totalSupport === 0
        ? null
        : {
            precision: mean("precision", supports),
            recall: mean("recall", supports),
            f1: mean("f1", supports),
          },
    accuracy: accuracy(yTrue, yPred),
    confusion,
  };
}

export type TOvrAuc<T extends TLabel = TLabel> = {
  perClass: { label: T; rocAuc: number | null }[];
  /**
   * Mean of the defined per-class AUCs. Equals sklearn roc_auc_score(multi_class="ovr",
   * average="macro") whenever every label occurs in the truth and some item lacks it; where a class
   * is absent sklearn yields NaN, we leave that class out of the mean. null if none is defined.
   */
  macro: number | null;
};

/**
 * One-vs-rest ROC-AUC per class, with probs[i][j] the score of item i for labels[j].
 */
export function ovrRocAuc<T extends TLabel>(yTrue: ArrayLike<T>, probs: ArrayLike<ArrayLike<number>>, labels: readonly T[]): TOvrAuc<T> {
  assertSameLength(yTrue, probs, "ovrRocAuc");
  for (let i = 0; i < probs.length; i++) {
    if (probs[i].length !== labels.length) {
      throw new Error(`ovrRocAuc: row ${i} has ${probs[i].length} scores but there are ${labels.length} labels`);
    }
  }
  const perClass = labels.map((label, j) => {
    const truth = new Array<boolean>(yTrue.length);
    const scores = new Float64Array(yTrue.length);
    for (let i = 0; i < yTrue.length; i++) {
      truth[i] = yTrue[i] === label;
      scores[i] = probs[i][j];
    }
    return { label, rocAuc: rocAuc(truth, scores) };
  });
  const defined = perClass.map((c) => c.rocAuc).filter((v): v is number => v !== null);
  return {
    perClass,
    macro: defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length,
  };
}

/** Index of the largest value; the first on ties (np.argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * One category's one-vs-rest counts from a confusion matrix (truth rows, prediction columns), for
 * per-category trends and intervals: tp on the diagonal, fp the rest of its column, fn of its row.
 */
export function classCounts<T extends TLabel>(confusion: TConfusionMatrix<T>, label: T): { tp: number; fp: number; fn: number; tn: number } {
  const i = confusion.labels.indexOf(label);
  if (i < 0) throw new Error(`classCounts: ${String(label)} is not among the confusion matrix labels`);
  let row = 0;
  let col = 0;
  let total = 0;
  confusion.matrix.forEach((r, a) =>
    r.forEach((v, b) => {
      total += v;
      if (a === i) row += v;
      if (b === i) col += v;
    }),
  );
  const tp = confusion.matrix[i][i];
  return { tp, fp: col - tp, fn: row - tp, tn: total - row - col + tp };
}

/**
 * Macro-F1 over the classes that occur in `truth` or `predicted` (scikit-learn's default labels), on
 * class indices: the allocation-free form of `classificationReport(...).macro.f1` that training loops call
 * once per fold. multiclass.test.ts checks the two agree.
 */
export function macroF1(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number {
  const tp = new Float64Array(classes);
  const fp = new Float64Array(classes);
  const fn = new Float64Array(classes);
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] === predicted[i]) tp[truth[i]]++;
    else {
      fp[predicted[i]]++;
      fn[truth[i]]++;
    }
  }
  let sum = 0;
  let present = 0;
  for (let k = 0; k < classes; k++) {
    if (tp[k] + fp[k] + fn[k] === 0) continue;
    present++;
    sum += (2 * tp[k]) / (2 * tp[k] + fp[k] + fn[k]);
  }
  return present === 0 ? 0 : sum / present;
}
