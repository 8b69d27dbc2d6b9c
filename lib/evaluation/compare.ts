/**
 * Is a candidate version worse than the active one on the gold set? Both versions score the same
 * items, so the comparison is paired: a bootstrap over items resamples the two predictions together,
 * which cancels the item-to-item noise both share and leaves the noise of the difference itself.
 * A drop counts as "worse" only beyond max(minMargin, 1.96 × standard error of the difference):
 * small gold sets make wide margins, so a warning is never raised on a coin flip, and large ones
 * still catch a real one-point regression.
 */
import { argmax, binaryScores, classificationReport, predictAtThreshold } from "@/lib/metrics/index.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";

export type TMetricDelta = {
  candidate: number;
  active: number;
  /** candidate − active */
  delta: number;
  /** bootstrap standard error of the paired difference */
  standardError: number;
  /** a drop larger than this is beyond noise */
  margin: number;
  isWorse: boolean;
};

export type TVersionComparison = {
  n: number;
  binaryF1: TMetricDelta;
  macroF1: TMetricDelta;
  isWorse: boolean;
};

export type TCompareInput = {
  /** gold label of each item as a column index of the shared label space */
  yTrue: readonly number[];
  candidateProbs: readonly ArrayLike<number>[];
  activeProbs: readonly ArrayLike<number>[];
  nonToxicIndex: number;
  threshold: number;
  iterations?: number;
  seed?: number;
  minMargin?: number;
};

type TPreds = { toxic: boolean[]; top: number[] };

function predsOf(probs: readonly ArrayLike<number>[], nonToxicIndex: number, threshold: number): TPreds {
  return {
    toxic: predictAtThreshold(
      probs.map((p) => 1 - p[nonToxicIndex]),
      threshold,
    ),
    top: probs.map((p) => argmax(p)),
  };
}

function scoresOn(idx: ArrayLike<number>, yTrue: readonly number[], isToxic: readonly boolean[], p: TPreds): { binaryF1: number; macroF1: number } {
  const n = idx.length;
  const t = new Array<boolean>(n);
  const pt = new Array<boolean>(n);
  const y = new Array<number>(n);
  const yp = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const k = idx[i];
    t[i] = isToxic[k];
    pt[i] = p.toxic[k];
    y[i] = yTrue[k];
    yp[i] = p.top[k];
  }
  return { binaryF1: binaryScores(t, pt).f1, macroF1: classificationReport(y, yp).macro?.f1 ?? 0 };
}

export function compareOnGoldSet(input: TCompareInput): TVersionComparison {
  const { yTrue, candidateProbs, activeProbs, nonToxicIndex, threshold, iterations = 300, seed = 20261128, minMargin = 0.01 } = input;
  const n = yTrue.length;
  if (candidateProbs.length !== n || activeProbs.length !== n) {
    throw new Error(`compareOnGoldSet: ${candidateProbs.length} candidate and ${activeProbs.length} active rows for ${n} labels`);
  }
  const isToxic = yTrue.map((y) => y !== nonToxicIndex);
  const cand = predsOf(candidateProbs, nonToxicIndex, threshold);
  const act = predsOf(activeProbs, nonToxicIndex, threshold);
  const all = Array.from({ length: n }, (_, i) => i);
  const c0 = scoresOn(all, yTrue, isToxic, cand);
  const a0 = scoresOn(all, yTrue, isToxic, act);

  const diffs = { binaryF1: [] as number[], macroF1: [] as number[] };
  if (n > 1) {
    const rand = seededRandom(seed);
    const idx = new Int32Array(n);
    for (let b = 0; b < iterations; b++) {
      for (let i = 0; i < n; i++) idx[i] = Math.floor(rand() * n);
      const c = scoresOn(idx, yTrue, isToxic, cand);
      const a = scoresOn(idx, yTrue, isToxic, act);
      diffs.binaryF1.push(c.binaryF1 - a.binaryF1);
      diffs.macroF1.push(c.macroF1 - a.macroF1);
    }
  }
  const delta = (key: "binaryF1" | "macroF1"): TMetricDelta => {
    const d = diffs[key];
    const mean = d.reduce((s, v) => s + v, 0) / Math.max(1, d.length);
    const standardError = d.length > 1 ? Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (d.length - 1)) : 0;
    const margin = Math.max(minMargin, 1.96 * standardError);
    const value = c0[key] - a0[key];
    return { candidate: c0[key], active: a0[key], delta: value, standardError, margin, isWorse: n > 0 && value < -margin };
  };
  const binaryF1 = delta("binaryF1");
  const macroF1 = delta("macroF1");
  return { n, binaryF1, macroF1, isWorse: binaryF1.isWorse || macroF1.isWorse };
}
