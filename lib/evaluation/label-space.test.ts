import { describe, expect, it } from "vitest";
import { alignProbs, buildLabelSpace, labelColumns } from "./label-space.ts";

describe("label space", () => {
  const space = buildLabelSpace({ modelCategoryIds: [7, 3, 9], modelNonToxicIndex: 1, goldCategoryIds: [9, 12, 3, 11, 20], nonToxicCategoryIds: [3, 20] });

  it("keeps the model's order and appends unknown gold categories by id", () => {
    expect(space.categoryIds).toEqual([7, 3, 9, 11, 12]);
    expect(space.nonToxicIndex).toBe(1);
  });

  it("maps every non-toxic category onto the model's non-toxic column", () => {
    expect(labelColumns([20, 3, 12, 7], space)).toEqual([1, 1, 4, 0]);
  });

  it("aligns probabilities, zero for categories the model does not know", () => {
    expect(alignProbs([[0.2, 0.5, 0.3]], [7, 3, 9], space)).toEqual([[0.2, 0.5, 0.3, 0, 0]]);
  });

  it("aligns another version with a different output order and an old non-toxic category", () => {
    const wide = buildLabelSpace({
      modelCategoryIds: [7, 3, 9],
      modelNonToxicIndex: 1,
      goldCategoryIds: [],
      nonToxicCategoryIds: [3, 20],
      extraCategoryIds: [9, 20, 7],
    });
    expect(wide.categoryIds).toEqual([7, 3, 9]);
    const rows = alignProbs([[0.6, 0.1, 0.3]], [20, 9, 7], wide);
    expect(rows).toEqual([[0.3, 0.6, 0.1]]);
  });

  it("refuses bad input with a message", () => {
    expect(() => buildLabelSpace({ modelCategoryIds: [1, 2], modelNonToxicIndex: 2, goldCategoryIds: [], nonToxicCategoryIds: [] })).toThrow(/non-toxic index/);
    expect(() => alignProbs([[1, 0]], [7, 3, 9], space)).toThrow(/item 0 has 2/);
    expect(() => labelColumns([99], space)).toThrow(/category 99/);
  });
});
