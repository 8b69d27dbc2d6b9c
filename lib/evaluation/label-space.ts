/**
 * Puts a model's outputs and the gold labels in one space of category ids. A version knows the
 * categories it was trained on (model_version.category_ids, in output order); the gold set may hold
 * labels on categories added or retired since. Those become extra columns the model gives
 * probability 0, so the item still counts (as a miss, which it is) and every version of a workspace
 * is measured on the same n. Every non-toxic category maps to the model's non-toxic output, so the
 * binary toxic/non-toxic split never depends on which non-toxic category a moderator picked.
 */

export type TLabelSpace = {
  /** column order: the model's categories, then unknown gold categories by id */
  categoryIds: number[];
  nonToxicIndex: number;
  /** category id → column, including every non-toxic category (all → nonToxicIndex) */
  columnOf: Map<number, number>;
};

export function buildLabelSpace(input: {
  modelCategoryIds: readonly number[];
  modelNonToxicIndex: number;
  goldCategoryIds: Iterable<number>;
  /** every non-toxic category of the workspace, active or not */
  nonToxicCategoryIds: Iterable<number>;
  /** further categories that must have a column (e.g. another version's, for side-by-side comparison) */
  extraCategoryIds?: Iterable<number>;
}): TLabelSpace {
  const { modelCategoryIds, modelNonToxicIndex } = input;
  if (!(modelNonToxicIndex >= 0 && modelNonToxicIndex < modelCategoryIds.length)) {
    throw new Error(`buildLabelSpace: non-toxic index ${modelNonToxicIndex} is outside the model's ${modelCategoryIds.length} outputs`);
  }
  if (new Set(modelCategoryIds).size !== modelCategoryIds.length) throw new Error("buildLabelSpace: the model maps two outputs to one category");
  const categoryIds = [...modelCategoryIds];
  const columnOf = new Map(categoryIds.map((id, j) => [id, j]));
  for (const id of input.nonToxicCategoryIds) if (!columnOf.has(id)) columnOf.set(id, modelNonToxicIndex);
  const extra = [...new Set([...input.goldCategoryIds, ...(input.extraCategoryIds ?? [])])].filter((id) => !columnOf.has(id)).sort((a, b) => a - b);
  for (const id of extra) {
    columnOf.set(id, categoryIds.length);
    categoryIds.push(id);
  }
  return { categoryIds, nonToxicIndex: modelNonToxicIndex, columnOf };
}

/**
 * One probability row per item in the space's column order (unknown categories get 0). Outputs that
 * land on one column (two non-toxic categories of an older version) add up, so rows still sum to 1.
 */
export function alignProbs(probs: readonly ArrayLike<number>[], modelCategoryIds: readonly number[], space: TLabelSpace): number[][] {
  const width = space.categoryIds.length;
  const target = modelCategoryIds.map((id) => space.columnOf.get(id) ?? -1);
  if (target.some((j) => j < 0)) throw new Error("alignProbs: the label space lacks one of the model's categories");
  return probs.map((row, i) => {
    if (row.length !== modelCategoryIds.length) throw new Error(`alignProbs: item ${i} has ${row.length} probabilities for ${modelCategoryIds.length} outputs`);
    const out = new Array<number>(width).fill(0);
    for (let k = 0; k < row.length; k++) out[target[k]] += row[k];
    return out;
  });
}

/** Column index of each gold label. */
export function labelColumns(categoryIds: readonly number[], space: TLabelSpace): number[] {
  return categoryIds.map((id) => {
    const j = space.columnOf.get(id);
    if (j === undefined) throw new Error(`labelColumns: category ${id} is not in the label space`);
    return j;
  });
}
