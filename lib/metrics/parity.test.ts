/**
 * Parity with scikit-learn (and statsmodels, scipy, the Krippendorff reference): the expected values
 * in fixtures/*.json come from model/tests/metrics/make_fixtures.py; every number must match to 1e-9.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  averagePrecision,
  binaryScores,
  classificationReport,
  cohenKappa,
  confusionMatrix,
  evaluateClassifier,
  krippendorffAlphaNominal,
  krippendorffAlphaPerCategory,
  normalQuantile,
  ovrRocAuc,
  pairwiseCohenKappa,
  precisionRecallCurve,
  predictAtThreshold,
  ratingsToUnits,
  rocAuc,
  rocCurve,
  thresholdTradeoff,
  uniqueSortedLabels,
  wilsonInterval,
  type TLabel,
  type TRating,
} from "./index.ts";

const TOLERANCE = 1e-9;

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8")) as T;
}

/** Deep comparison: numbers to TOLERANCE, "Infinity" strings as ±Infinity, null as undefined metric. */
function expectClose(actual: unknown, expected: unknown, where: string): void {
  if (expected === "Infinity" || expected === "-Infinity") {
    expect(actual, where).toBe(expected === "Infinity" ? Infinity : -Infinity);
    return;
  }
  if (expected === null) {
    expect(actual, where).toBeNull();
    return;
  }
  if (typeof expected === "number") {
    expect(typeof actual, `${where}: type`).toBe("number");
    const diff = Math.abs((actual as number) - expected);
    if (!(diff <= TOLERANCE)) throw new Error(`${where}: got ${actual}, sklearn says ${expected} (|Δ| = ${diff})`);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where}: array`).toBe(true);
    expect((actual as unknown[]).length, `${where}: length`).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, `${where}[${i}]`));
    return;
  }
  if (typeof expected === "object") {
    for (const [key, e] of Object.entries(expected as Record<string, unknown>)) {
      expectClose((actual as Record<string, unknown>)?.[key], e, `${where}.${key}`);
    }
    return;
  }
  expect(actual, where).toEqual(expected);
}

type TBinaryCase = {
  name: string;
  yTrue: boolean[];
  scores: number[];
  threshold: number;
  expected: {
    precision: number;
    recall: number;
    f1: number;
    tp: number;
    fp: number;
    fn: number;
    tn: number;
    support: number;
    rocAuc: number | null;
    averagePrecision: number | null;
    prCurve: unknown;
    rocCurve: unknown;
    tradeoff: unknown[];
  };
};

describe("binary metrics match sklearn", () => {
  const { cases } = fixture<{ cases: TBinaryCase[] }>("binary.json");
  it("has the fixture cases", () => expect(cases.length).toBeGreaterThanOrEqual(10));
  for (const c of cases) {
    it(c.name, () => {
      const e = c.expected;
      const scores = binaryScores(c.yTrue, predictAtThreshold(c.scores, c.threshold));
      expectClose(scores, { precision: e.precision, recall: e.recall, f1: e.f1, tp: e.tp, fp: e.fp, fn: e.fn, tn: e.tn, support: e.support }, "scores");
      expectClose(rocAuc(c.yTrue, c.scores), e.rocAuc, "rocAuc");
      if (c.yTrue.some(Boolean)) expectClose(averagePrecision(c.yTrue, c.scores), e.averagePrecision, "averagePrecision");
      else expect(averagePrecision(c.yTrue, c.scores)).toBeNull();
      expectClose(precisionRecallCurve(c.yTrue, c.scores), e.prCurve, "prCurve");
      expectClose(rocCurve(c.yTrue, c.scores), e.rocCurve, "rocCurve");
      const table = thresholdTradeoff(c.yTrue, c.scores);
      expect(table.length).toBe(e.tradeoff.length);
      expectClose(table, e.tradeoff, "tradeoff");
    });
  }
});

type TMulticlassCase = {
  name: string;
  yTrue: TLabel[];
  yPred: TLabel[];
  probs: number[][] | null;
  labels: TLabel[];
  expected: {
    accuracy: number;
    confusion: number[][];
    defaultLabels: TLabel[];
    perClass: { label: TLabel; precision: number; recall: number; f1: number; support: number }[];
    macro: unknown;
    weighted: unknown;
    defaultMacro: unknown;
    ovrRocAuc?: { perClass: (number | null)[]; macro: number | null };
  };
};

describe("multi-class metrics match sklearn", () => {
  const { cases } = fixture<{ cases: TMulticlassCase[] }>("multiclass.json");
  it("has the fixture cases", () => expect(cases.length).toBeGreaterThanOrEqual(5));
  for (const c of cases) {
    it(c.name, () => {
      const e = c.expected;
      expect(uniqueSortedLabels(c.yTrue, c.yPred)).toEqual(e.defaultLabels);
      expect(confusionMatrix(c.yTrue, c.yPred, c.labels).matrix).toEqual(e.confusion);
      const report = classificationReport(c.yTrue, c.yPred, c.labels);
      expectClose(report.accuracy, e.accuracy, "accuracy");
      expectClose(report.perClass, e.perClass, "perClass");
      expectClose(report.macro, e.macro, "macro");
      expectClose(report.weighted, e.weighted, "weighted");
      expectClose(classificationReport(c.yTrue, c.yPred).macro, e.defaultMacro, "macro over sklearn's default labels");
      if (c.probs && e.ovrRocAuc) {
        const auc = ovrRocAuc(c.yTrue, c.probs, c.labels);
        expectClose(
          auc.perClass.map((p) => p.rocAuc),
          e.ovrRocAuc.perClass,
          "ovr perClass",
        );
        expectClose(auc.macro, e.ovrRocAuc.macro, "ovr macro");
      }
    });
  }
});

type TEvaluateCase = {
  name: string;
  probs: number[][];
  yTrue: number[];
  labels: string[];
  nonToxicIndex: number;
  threshold: number;
  expected: unknown;
};

describe("evaluateClassifier matches sklearn", () => {
  const { cases } = fixture<{ cases: TEvaluateCase[] }>("evaluate.json");
  it("has the fixture cases", () => expect(cases.length).toBeGreaterThanOrEqual(2));
  for (const c of cases) {
    it(c.name, () => {
      const result = evaluateClassifier(c);
      expectClose(result, c.expected, "evaluation");
      // the thinned PR curve keeps its end point and stays within the cap
      expect(result.prCurve.thresholds.length).toBeLessThanOrEqual(200);
      expect(result.prCurve.precision.at(-1)).toBe(1);
      expect(result.prCurve.recall.at(-1)).toBe(0);
    });
  }
});

type TAgreementFixture = {
  kappa: { name: string; y1: TLabel[]; y2: TLabel[]; kappa: number | null }[];
  ratings: {
    name: string;
    ratings: TRating<number>[];
    categories: number[];
    expected: {
      alpha: number | null;
      perCategory: { category: number; alpha: number | null }[];
      pairs: unknown[];
    };
  }[];
};

describe("agreement statistics match sklearn and the Krippendorff reference", () => {
  const fx = fixture<TAgreementFixture>("agreement.json");
  for (const c of fx.kappa) {
    it(`cohen_kappa_score: ${c.name}`, () => expectClose(cohenKappa(c.y1, c.y2), c.kappa, "kappa"));
  }
  for (const c of fx.ratings) {
    it(`alpha and pairwise kappa: ${c.name}`, () => {
      const units = ratingsToUnits(c.ratings);
      expectClose(krippendorffAlphaNominal(units).alpha, c.expected.alpha, "alpha");
      expectClose(
        krippendorffAlphaPerCategory(units, c.categories).map((r) => ({ category: r.category, alpha: r.result.alpha })),
        c.expected.perCategory,
        "perCategory",
      );
      expectClose(pairwiseCohenKappa(c.ratings), c.expected.pairs, "pairs");
    });
  }
});

describe("intervals match statsmodels and scipy", () => {
  const fx = fixture<{
    wilson: { successes: number; trials: number; confidence: number; lower: number; upper: number }[];
    normalQuantile: { p: number; z: number }[];
  }>("intervals.json");
  it("Wilson score interval (proportion_confint method='wilson')", () => {
    for (const w of fx.wilson) {
      const got = wilsonInterval(w.successes, w.trials, w.confidence);
      const where = `${w.successes}/${w.trials} at ${w.confidence}`;
      expectClose(got.lower, w.lower, `${where} lower`);
      expectClose(got.upper, w.upper, `${where} upper`);
    }
  });
  it("normal quantile (scipy.stats.norm.ppf)", () => {
    for (const q of fx.normalQuantile) expectClose(normalQuantile(q.p), q.z, `p=${q.p}`);
  });
});
