import { describe, expect, it } from "vitest";
import type { TSparseRows } from "@/lib/model/featurize.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { centroidSimilarity, mutualInformation, selectByPolicy, type TAcquisitionPolicy } from "./policy.ts";
import { selectBatch } from "./select.ts";
import { distinctFeatures } from "./test-features.ts";

const policy = (over: Partial<TAcquisitionPolicy>): TAcquisitionPolicy => ({
  name: "t",
  isFlaggedFirst: false,
  uncertainty: "margin",
  classPower: 0,
  maxSimilarity: null,
  power: null,
  ...over,
});

function input(probs: number[], classes: number, over: Partial<Parameters<typeof selectByPolicy>[0]> = {}) {
  const n = probs.length / classes;
  return {
    policy: policy({}),
    pool: Int32Array.from({ length: n }, (_, i) => i),
    probs: Float32Array.from(probs),
    classes,
    nonToxicIndex: 0,
    batchSize: 3,
    trainingLabels: [0, 1],
    features: distinctFeatures(n) as TSparseRows,
    rand: seededRandom(5),
    idOf: (r: number) => `p:${r}`,
    threshold: 0.5,
    randomShare: 0,
    ...over,
  };
}

describe("selectByPolicy", () => {
  const pToxic = Array.from({ length: 300 }, (_, i) => ((i * 37) % 100) / 100);
  const binary = pToxic.flatMap((p) => [1 - p, p]);

  it("reproduces the queue's orderings: the earlier default and the new one pick exactly what selectBatch picks", () => {
    const common = {
      pool: Int32Array.from({ length: 300 }, (_, i) => i),
      probs: Float32Array.from(binary),
      classes: 2,
      nonToxicIndex: 0,
      batchSize: 40,
      idOf: (r: number) => `p:${r}`,
      threshold: 0.5,
      randomShare: 0.1,
      features: distinctFeatures(300),
    };
    const pairs: [TAcquisitionPolicy, "flagged_first" | "default"][] = [
      [policy({ isFlaggedFirst: true, uncertainty: "least_confidence" }), "flagged_first"],
      [policy({ maxSimilarity: 0.5 }), "default"],
    ];
    for (const [p, strategy] of pairs) {
      const ours = selectByPolicy({ ...common, policy: p, trainingLabels: [], rand: seededRandom(9) });
      const app = selectBatch({ ...common, strategy, rand: seededRandom(9) });
      expect(Array.from(ours.rows)).toEqual(Array.from(app.rows));
      expect(Array.from(ours.isAudit)).toEqual(Array.from(app.isAudit));
    }
  });

  it("class weighting lifts rows predicted as the rarer training class", () => {
    // rows 0 and 1 are equally uncertain; row 0 leans to class 2 (rare in training), row 1 to class 1
    const probs = [0.1, 0.2, 0.7, 0.1, 0.7, 0.2, 0.8, 0.1, 0.1];
    const trainingLabels = [1, 1, 1, 1, 1, 1, 0, 0, 2];
    expect(Array.from(selectByPolicy(input(probs, 3, { batchSize: 1, trainingLabels, policy: policy({ classPower: 1 }) })).rows)).toEqual([0]);
    // without weighting the tie goes to the lower row id, row 0 too; flip the rare class to check it is the weight deciding
    expect(Array.from(selectByPolicy(input(probs, 3, { batchSize: 1, trainingLabels: [2, 2, 2, 2, 1, 0], policy: policy({ classPower: 1 }) })).rows)).toEqual([
      1,
    ]);
  });

  it("power sampling is reproducible for a seed, draws distinct rows and still prefers uncertain ones", () => {
    const p = policy({ power: 4 });
    const a = selectByPolicy(input(binary, 2, { batchSize: 30, policy: p, rand: seededRandom(3) }));
    const b = selectByPolicy(input(binary, 2, { batchSize: 30, policy: p, rand: seededRandom(3) }));
    expect(Array.from(a.rows)).toEqual(Array.from(b.rows));
    expect(new Set(a.rows).size).toBe(30);
    const meanMargin = (rows: Int32Array) => Array.from(rows).reduce((s, r) => s + Math.abs(2 * pToxic[r] - 1), 0) / rows.length;
    // uniformly drawn rows average |2p − 1| ≈ 0.5; power-4 draws sit much nearer the boundary
    expect(meanMargin(a.rows)).toBeLessThan(0.3);
  });

  it("information density prefers the typical of two equally uncertain rows", () => {
    // row 0 is alone on feature 9 (an outlier); rows 1–4 share feature 0 (typical); rows 0 and 4 are the most uncertain
    const features: TSparseRows = {
      indptr: Int32Array.from([0, 1, 2, 3, 4, 5]),
      indices: Int32Array.from([9, 0, 0, 0, 0]),
      values: Float32Array.from([1, 1, 1, 1, 1]),
      rows: 5,
    };
    const probs = [0.5, 0.5, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1, 0.5, 0.5];
    // ties go to the lower row id, so without density the outlier wins
    expect(Array.from(selectByPolicy(input(probs, 2, { batchSize: 1, features })).rows)).toEqual([0]);
    expect(Array.from(selectByPolicy(input(probs, 2, { batchSize: 1, features, policy: policy({ densityPower: 1 }) })).rows)).toEqual([4]);
    // the outlier's similarity to the centroid (1/√17) is small but not zero: when it is far more uncertain than the rest, it still wins
    const sharper = [0.5, 0.5, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1, 0.99, 0.01];
    expect(Array.from(selectByPolicy(input(sharper, 2, { batchSize: 1, features, policy: policy({ densityPower: 1 }) })).rows)).toEqual([0]);
  });
});

describe("centroidSimilarity", () => {
  it("is the cosine of each row to the mean of the normalised rows, 0 for empty rows", () => {
    const features: TSparseRows = { indptr: Int32Array.from([0, 1, 2, 2]), indices: Int32Array.from([0, 1]), values: Float32Array.from([2, 1]), rows: 3 };
    const sim = centroidSimilarity([0, 1, 2], features);
    // centroid (1, 1): each axis row is at 45°
    expect(sim.get(0)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(sim.get(1)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(sim.get(2)).toBe(0);
  });
});

describe("mutualInformation (committee disagreement)", () => {
  it("is 0 when the members agree, however unsure, and ln 2 when two are sure of opposite classes", () => {
    const unsure = Float32Array.from([0.5, 0.5]);
    expect(mutualInformation([unsure, unsure, unsure], 0, 2)).toBeCloseTo(0, 12);
    expect(mutualInformation([Float32Array.from([1, 0]), Float32Array.from([0, 1])], 0, 2)).toBeCloseTo(Math.LN2, 12);
  });

  it("reads the row at its position, and ranks a disputed row above an agreed uncertain one in selection", () => {
    // row 0: members agree at 0.5/0.5 (noise); row 1: members disagree (0.9 vs 0.1), mean also 0.5/0.5
    const a = Float32Array.from([0.5, 0.5, 0.9, 0.1]);
    const b = Float32Array.from([0.5, 0.5, 0.1, 0.9]);
    expect(mutualInformation([a, b], 0, 2)).toBeCloseTo(0, 12);
    expect(mutualInformation([a, b], 1, 2)).toBeGreaterThan(0.3);
    const picked = selectByPolicy({ ...input([0.5, 0.5, 0.5, 0.5], 2, { batchSize: 1 }), policy: policy({ committee: 2 }), committeeProbs: [a, b] });
    expect(Array.from(picked.rows)).toEqual([1]);
    expect(() => selectByPolicy({ ...input([0.5, 0.5, 0.5, 0.5], 2, { batchSize: 1 }), policy: policy({ committee: 2 }) })).toThrow(RangeError);
  });
});
