import type { TSparseRows } from "@/lib/model/featurize.ts";

/** Test fixture: one-hot feature rows, every row unlike every other, so near-duplicate spacing keeps all of them. */
export function distinctFeatures(n: number): TSparseRows {
  return {
    indptr: Int32Array.from({ length: n + 1 }, (_, i) => i),
    indices: Int32Array.from({ length: n }, (_, i) => i),
    values: new Float32Array(n).fill(1),
    rows: n,
  };
}
