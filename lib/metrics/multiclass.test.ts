import { describe, expect, it } from "vitest";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { accuracy, argmax, classCounts, classificationReport, confusionMatrix, macroF1, ovrRocAuc, uniqueSortedLabels } from "./multiclass.ts";

describe("confusionMatrix", () => {
  it("reproduces sklearn's documented example (rows truth, columns prediction)", () => {
    const cm = confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]);
    expect(cm.labels).toEqual([0, 1, 2]);
    expect(cm.matrix).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
  });

  it("follows the given label order and leaves out items with other labels", () => {
    const cm = confusionMatrix(["hate", "none", "sexual", "none"], ["hate", "hate", "none", "none"], ["none", "hate"]);
    expect(cm.matrix).toEqual([
      [1, 1],
      [0, 1],
    ]);
  });

  it("refuses a repeated label", () => {
    expect(() => confusionMatrix([1], [1], [1, 1])).toThrow(/appears twice/);
  });
});

describe("uniqueSortedLabels", () => {
  it("sorts numbers numerically and strings by code unit, like np.unique", () => {
    expect(uniqueSortedLabels([10, 9], [2, 9])).toEqual([2, 9, 10]);
    expect(uniqueSortedLabels(["hate", "Threat", "abuse"])).toEqual(["Threat", "abuse", "hate"]);
  });

  it("refuses a mix of numbers and strings", () => {
    expect(() => uniqueSortedLabels<string | number>([1, "1"])).toThrow(/mix numbers and strings/);
  });
});

describe("classificationReport", () => {
  it("reproduces sklearn's documented macro scores (0.22 / 0.33 / 0.27)", () => {
    const r = classificationReport([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]);
    expect(r.perClass.map((c) => [c.precision, c.recall, c.f1, c.support])).toEqual([
      [2 / 3, 1, 0.8, 2],
      [0, 0, 0, 2],
      [0, 0, 0, 2],
    ]);
    expect(r.macro!.precision).toBeCloseTo(2 / 9, 15);
    expect(r.macro!.recall).toBeCloseTo(1 / 3, 15);
    expect(r.macro!.f1).toBeCloseTo(0.8 / 3, 15);
    expect(r.accuracy).toBeCloseTo(1 / 3, 15);
  });

  it("counts a requested label with no items as 0 in the macro mean (sklearn with labels=)", () => {
    const withAll = classificationReport([0, 0, 1], [0, 0, 1], [0, 1, 2]);
    expect(withAll.perClass[2]).toMatchObject({ label: 2, precision: 0, recall: 0, f1: 0, support: 0, predicted: 0 });
    expect(withAll.macro!.f1).toBeCloseTo(2 / 3, 15);
    expect(classificationReport([0, 0, 1], [0, 0, 1]).macro!.f1).toBe(1);
  });

  it("weights by support for the weighted mean", () => {
    const r = classificationReport([0, 0, 0, 1], [0, 0, 1, 1]);
    // class 0: f1 = 0.8 (support 3); class 1: f1 = 2/3 (support 1)
    expect(r.weighted!.f1).toBeCloseTo((3 * 0.8 + 2 / 3) / 4, 15);
  });

  it("has no averages for no items", () => {
    const r = classificationReport<number>([], []);
    expect(r).toMatchObject({ perClass: [], macro: null, weighted: null, accuracy: null });
  });
});

describe("accuracy and argmax", () => {
  it("computes the share of exact matches", () => {
    expect(accuracy(["a", "b", "c", "a"], ["a", "b", "a", "b"])).toBe(0.5);
    expect(accuracy([], [])).toBeNull();
  });

  it("picks the first maximum, like np.argmax", () => {
    expect(argmax([0.2, 0.4, 0.4])).toBe(1);
    expect(argmax([0.9])).toBe(0);
  });
});

describe("ovrRocAuc", () => {
  const y = [0, 1, 2, 0, 1, 2];
  const p = [
    [0.6, 0.2, 0.2],
    [0.2, 0.6, 0.2],
    [0.1, 0.2, 0.7],
    [0.3, 0.3, 0.4],
    [0.5, 0.4, 0.1],
    [0.2, 0.2, 0.6],
  ];

  it("matches sklearn roc_auc_score(multi_class='ovr') on a hand case", () => {
    const r = ovrRocAuc(y, p, [0, 1, 2]);
    expect(r.perClass.map((c) => c.rocAuc)).toEqual([0.875, 1, 1]);
    expect(r.macro).toBeCloseTo(2.875 / 3, 15);
  });

  it("leaves a class absent from the truth out of the mean", () => {
    const r = ovrRocAuc(
      [0, 1, 0, 1],
      [
        [0.7, 0.2, 0.1],
        [0.2, 0.7, 0.1],
        [0.6, 0.3, 0.1],
        [0.3, 0.5, 0.2],
      ],
      [0, 1, 2],
    );
    expect(r.perClass[2].rocAuc).toBeNull();
    expect(r.macro).toBe(1);
  });

  it("refuses a row whose width differs from the labels", () => {
    expect(() => ovrRocAuc([0], [[1]], [0, 1])).toThrow(/row 0 has 1 scores but there are 2 labels/);
  });
});

describe("classCounts", () => {
  it("turns one category of a confusion matrix into one-vs-rest counts", () => {
    const cm = confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]);
    expect(classCounts(cm, 2)).toEqual({ tp: 2, fp: 1, fn: 1, tn: 2 });
    expect(classCounts(cm, 1)).toEqual({ tp: 0, fp: 0, fn: 1, tn: 5 });
    expect(() => classCounts(cm, 7)).toThrow(/not among/);
  });

  it("gives the per-class precision and recall of classificationReport", () => {
    const y = [0, 1, 2, 0, 1, 2, 2];
    const p = [0, 2, 1, 0, 0, 1, 2];
    const report = classificationReport(y, p);
    for (const c of report.perClass) {
      const k = classCounts(report.confusion, c.label);
      expect(k.tp / (k.tp + k.fn || 1)).toBeCloseTo(c.recall, 15);
      expect(k.tp / (k.tp + k.fp || 1)).toBeCloseTo(c.precision, 15);
    }
  });
});

describe("macroF1", () => {
  it("matches a hand computation and ignores classes absent from truth and predictions", () => {
    // class 0: tp 1, fp 1, fn 1 → 0.5; class 1: tp 1, fp 1, fn 1 → 0.5; class 2 absent
    expect(macroF1([0, 0, 1, 1], [0, 1, 1, 0], 3)).toBeCloseTo(0.5, 12);
    expect(macroF1([0, 1, 1], [0, 1, 1], 2)).toBe(1);
    // class 1 predicted but never true: F1 0 counts
    expect(macroF1([0, 0], [0, 1], 2)).toBeCloseTo((2 / 3 + 0) / 2, 12);
  });
  it("agrees with classificationReport's macro F1 (the one definition, two forms)", () => {
    const rand = seededRandom(11);
    for (let trial = 0; trial < 50; trial++) {
      const classes = 2 + Math.floor(rand() * 5);
      const n = 1 + Math.floor(rand() * 200);
      const truth = Array.from({ length: n }, () => Math.floor(rand() * classes));
      const predicted = Array.from({ length: n }, () => Math.floor(rand() * classes));
      expect(macroF1(truth, predicted, classes)).toBeCloseTo(classificationReport(truth, predicted).macro?.f1 ?? 0, 12);
    }
  });
});
