import { describe, expect, it } from "vitest";
import { DEFAULT_FEATURIZER, HashedNgramFeaturizer, type TSparseRows } from "@/lib/model/featurize.ts";
import { basePriority, DEFAULT_MAX_SIMILARITY, DEMOTED_OFFSET, diversify } from "./diversify.ts";
import { FLAGGED_OFFSET } from "./rank.ts";

/** Sparse rows from dense vectors (zeros left out). */
function rowsOf(vectors: number[][]): TSparseRows {
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const v of vectors) {
    v.forEach((x, j) => {
      if (x !== 0) {
        indices.push(j);
        values.push(x);
      }
    });
    indptr.push(indices.length);
  }
  return { indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), values: Float32Array.from(values), rows: vectors.length };
}

describe("diversify", () => {
  it("keeps rows unlike every kept one and demotes the look-alikes, each list in the given order", () => {
    // 0 and 2 are the same direction, 3 is 0 scaled: cosine 1; 1 is orthogonal to 0
    const f = rowsOf([
      [1, 0, 0],
      [0, 1, 0],
      [2, 0, 0],
      [3, 0, 0],
      [0, 0, 1],
    ]);
    expect(diversify([0, 1, 2, 3, 4], f, 0.5)).toEqual({ kept: [0, 1, 4], demoted: [2, 3] });
    // the walk follows the given order: the first of the look-alikes is the one kept
    expect(diversify([3, 2, 1, 0, 4], f, 0.5)).toEqual({ kept: [3, 1, 4], demoted: [2, 0] });
  });

  it("demotes at the threshold and keeps just below it", () => {
    // cos(a, b) = 0.6 exactly: a = (1, 0), b = (0.6, 0.8)
    const f = rowsOf([
      [1, 0],
      [0.6, 0.8],
    ]);
    expect(diversify([0, 1], f, 0.6).demoted).toEqual([1]);
    expect(diversify([0, 1], f, 0.61).demoted).toEqual([]);
  });

  it("compares against kept rows only: a row like a demoted one but not like any kept one stays", () => {
    // 1 is close to 0 (demoted); 2 is close to 1 but not to 0
    const f = rowsOf([
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    // cos(0,1) = 0.707 ≥ 0.6 → 1 demoted; cos(0,2) = 0 and 2 is only compared with 0
    expect(diversify([0, 1, 2], f, 0.6)).toEqual({ kept: [0, 2], demoted: [1] });
  });

  it("stops once `limit` rows are kept and leaves the rest unexamined", () => {
    const f = rowsOf([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
      [1, 1],
    ]);
    expect(diversify([0, 1, 2, 3, 4], f, 0.9, 2)).toEqual({ kept: [0, 2], demoted: [1] });
  });

  it("keeps rows without features (nothing to compare) and exact copies count at similarity 1", () => {
    const f = rowsOf([
      [0, 0],
      [0.3, 0.7],
      [0.3, 0.7],
      [0, 0],
    ]);
    expect(diversify([0, 1, 2, 3], f, 1)).toEqual({ kept: [0, 1, 3], demoted: [2] });
  });

  it("rejects a threshold outside (0, 1] and rows outside the features", () => {
    const f = rowsOf([[1]]);
    expect(() => diversify([0], f, 0)).toThrow(RangeError);
    expect(() => diversify([0], f, 1.5)).toThrow(RangeError);
    expect(() => diversify([0], f, Number.NaN)).toThrow(RangeError);
    expect(() => diversify([1], f, 0.5)).toThrow(/outside/);
  });

  it("on real chat lines with the app's featurizer, spelling variants of one line are near-duplicates and different lines are not", () => {
    const texts = [
      "you are so bad at this game uninstall",
      "you are so bad at this game uninstall!!!",
      "YOU ARE SO BAD AT THIS GAME, UNINSTALL",
      "nice save on mid, well played",
      "report their jungler he is feeding",
    ];
    const f = new HashedNgramFeaturizer(DEFAULT_FEATURIZER).featurizeRows(texts);
    expect(diversify([0, 1, 2, 3, 4], f, DEFAULT_MAX_SIMILARITY)).toEqual({ kept: [0, 3, 4], demoted: [1, 2] });
  });
});

describe("basePriority", () => {
  it("undoes the demotion for every uncertainty priority, flagged tier included", () => {
    for (const p of [0, 0.25, 1, FLAGGED_OFFSET, FLAGGED_OFFSET + 0.5, FLAGGED_OFFSET + 1]) {
      expect(basePriority(p)).toBe(p);
      expect(basePriority(p - DEMOTED_OFFSET)).toBeCloseTo(p, 12);
      // every demoted priority sits below every kept one
      expect(p - DEMOTED_OFFSET).toBeLessThan(0);
    }
  });
});
