import { describe, expect, it } from "vitest";
import type { TSparseRows } from "@/lib/model/featurize.ts";
import { softmaxProbs, stackRows } from "./linear-learner.ts";

const rows: TSparseRows = {
  indptr: Int32Array.from([0, 2, 2, 5]),
  indices: Int32Array.from([1, 3, 0, 2, 3]),
  values: Float32Array.from([0.5, 1, 2, 3, 4]),
  rows: 3,
};

describe("stackRows", () => {
  it("copies the chosen rows in order, then the extra rows", () => {
    const extra: TSparseRows = { indptr: Int32Array.from([0, 1]), indices: Int32Array.from([4]), values: Float32Array.from([9]), rows: 1 };
    const s = stackRows(rows, [2, 1, 0], extra);
    expect(s.rows).toBe(4);
    expect(Array.from(s.indptr)).toEqual([0, 3, 3, 5, 6]);
    expect(Array.from(s.indices)).toEqual([0, 2, 3, 1, 3, 4]);
    expect(Array.from(s.values)).toEqual([2, 3, 4, 0.5, 1, 9]);
  });
});

describe("softmaxProbs", () => {
  it("is the softmax of bias + Σ value × weight row", () => {
    // 4 buckets + padding row, 2 classes
    const weights = Float32Array.from([0, 0, 1, -1, 0, 0, 0.5, 0, 0, 0]);
    const bias = Float32Array.from([0.1, -0.1]);
    const p = softmaxProbs({ weights, bias, buckets: 4, classes: 2 }, rows, Int32Array.from([0, 1]));
    // row 0: 0.5 × [1, -1] + 1 × [0.5, 0] + bias = [1.1, -0.6]
    const e = [Math.exp(1.1), Math.exp(-0.6)];
    expect(p[0]).toBeCloseTo(e[0] / (e[0] + e[1]), 6);
    expect(p[1]).toBeCloseTo(e[1] / (e[0] + e[1]), 6);
    // row 1 has no features: bias only
    expect(p[2]).toBeCloseTo(1 / (1 + Math.exp(-0.2)), 6);
    expect(p[2] + p[3]).toBeCloseTo(1, 6);
  });
});
