import { describe, expect, it } from "vitest";
import { isAuditSample } from "@/lib/ranking/rank.ts";
import type { TSparseRows } from "@/lib/model/featurize.ts";
import { distinctFeatures } from "./test-features.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { selectBatch, type TAlStrategy } from "./select.ts";

// Two classes, non-toxic = 0: p(toxic) per row decides every strategy's order.
function binaryProbs(pToxic: number[]): Float32Array {
  return Float32Array.from(pToxic.flatMap((p) => [1 - p, p]));
}

function pick(strategy: TAlStrategy, pToxic: number[], batchSize: number, extra: Partial<Parameters<typeof selectBatch>[0]> = {}) {
  const pool = Int32Array.from(pToxic, (_, i) => i);
  return selectBatch({
    features: distinctFeatures(pToxic.length),
    pool,
    probs: binaryProbs(pToxic),
    classes: 2,
    nonToxicIndex: 0,
    strategy,
    batchSize,
    rand: seededRandom(7),
    idOf: (r) => `s:${r}`,
    ...extra,
  });
}

describe("selectBatch", () => {
  const p = [0.05, 0.45, 0.9, 0.55, 0.6, 0.99, 0.3];

  it("least confidence, margin and entropy take the rows nearest the decision boundary, without a flagged tier", () => {
    for (const s of ["least_confidence", "margin", "entropy"] as const) {
      expect(Array.from(pick(s, p, 3, { randomShare: 0 }).rows)).toEqual([1, 3, 4]);
    }
  });

  it("toxic_score takes the highest toxic scores", () => {
    expect(Array.from(pick("toxic_score", p, 2).rows)).toEqual([5, 2]);
  });

  it("flagged_first (the earlier default) serves flagged rows first, least confident among them, then unflagged ones", () => {
    // flagged (≥ 0.5): 3 (0.55), 4 (0.6), 2 (0.9), 5 (0.99); then unflagged by uncertainty: 1, 6, 0
    const got = pick("flagged_first", p, 6, { randomShare: 0 });
    expect(Array.from(got.rows)).toEqual([3, 4, 2, 5, 1, 6]);
    expect(Array.from(got.isAudit)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("flagged_first honours the flag threshold", () => {
    expect(Array.from(pick("flagged_first", p, 2, { randomShare: 0, threshold: 0.95 }).rows)).toEqual([5, 1]);
  });

  it("default orders by margin alone, flagged or not", () => {
    // |p − 0.5|: 1 (0.45) and 3 (0.55) tie at 0.05, then 4 (0.6), 6 (0.3), 2 (0.9), 0 (0.05)
    expect(Array.from(pick("default", p, 6, { randomShare: 0 }).rows)).toEqual([1, 3, 4, 6, 2, 0]);
    expect(Array.from(pick("default", p, 2, { randomShare: 0, threshold: 0.95 }).rows)).toEqual([1, 3]);
  });

  it("default spaces out near-duplicates: a row like a better-ranked pick waits until the distinct rows are taken", () => {
    // rows 1 and 3 have the same features; 3 goes behind every distinct row
    const features: TSparseRows = {
      indptr: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
      indices: Int32Array.from([0, 1, 2, 1, 4, 5, 6]),
      values: new Float32Array(7).fill(1),
      rows: 7,
    };
    expect(Array.from(pick("default", p, 6, { randomShare: 0, features }).rows)).toEqual([1, 4, 6, 2, 0, 5]);
    expect(Array.from(pick("default", p, 7, { randomShare: 0, features }).rows)).toEqual([1, 4, 6, 2, 0, 5, 3]);
    expect(() => pick("default", p, 2, { randomShare: 0, features: undefined })).toThrow(/features/);
  });

  it("default mixes in the audit slice: audit rows are those the queue would hash into it, marked as audit", () => {
    const n = 2000;
    const pToxic = Array.from({ length: n }, (_, i) => (i % 100) / 100);
    const got = pick("default", pToxic, 500, { randomShare: 0.1 });
    expect(got.rows.length).toBe(500);
    expect(new Set(got.rows).size).toBe(500);
    let audits = 0;
    for (let i = 0; i < got.rows.length; i++) {
      const inSlice = isAuditSample(`s:${got.rows[i]}`, 0.1);
      if (got.isAudit[i]) {
        audits++;
        expect(inSlice).toBe(true);
      } else {
        // ranked rows never come from the audit slice
        expect(inSlice).toBe(false);
      }
    }
    // ~10% of the slots, binomial(500, 0.1): sd ≈ 6.7
    expect(audits).toBeGreaterThan(25);
    expect(audits).toBeLessThan(75);
  });

  it("default fills from the audit slice when the ranked pool runs dry", () => {
    const idOf = (r: number) => `s:${r}`;
    const pool = Int32Array.from({ length: 200 }, (_, i) => i);
    const inSlice = Array.from(pool).filter((r) => isAuditSample(idOf(r), 0.1));
    const ranked = Array.from(pool).filter((r) => !isAuditSample(idOf(r), 0.1));
    const small = Int32Array.from([...ranked.slice(0, 3), ...inSlice]);
    const got = selectBatch({
      pool: small,
      probs: binaryProbs(Array(small.length).fill(0.5)),
      classes: 2,
      nonToxicIndex: 0,
      strategy: "default",
      batchSize: 10,
      rand: seededRandom(1),
      idOf,
      features: distinctFeatures(200),
    });
    expect(got.rows.length).toBe(10);
    expect(Array.from(got.isAudit).filter(Boolean).length).toBe(7);
  });

  it("random is reproducible for a seed and differs across seeds", () => {
    const pToxic = Array.from({ length: 1000 }, () => 0.5);
    const a = pick("random", pToxic, 20, { rand: seededRandom(3) });
    const b = pick("random", pToxic, 20, { rand: seededRandom(3) });
    const c = pick("random", pToxic, 20, { rand: seededRandom(4) });
    expect(Array.from(a.rows)).toEqual(Array.from(b.rows));
    expect(Array.from(a.rows)).not.toEqual(Array.from(c.rows));
  });

  it("uses the pool's own row ids and never returns more rows than the pool has", () => {
    const got = selectBatch({
      pool: [10, 20, 30],
      probs: binaryProbs([0.5, 0.1, 0.49]),
      classes: 2,
      nonToxicIndex: 0,
      strategy: "least_confidence",
      batchSize: 5,
      rand: seededRandom(1),
      idOf: String,
    });
    expect(Array.from(got.rows)).toEqual([10, 30, 20]);
  });

  it("rejects probabilities that do not match the pool", () => {
    expect(() =>
      selectBatch({ pool: [1, 2], probs: [0.5, 0.5], classes: 2, nonToxicIndex: 0, strategy: "margin", batchSize: 1, rand: Math.random, idOf: String }),
    ).toThrow(RangeError);
  });

  it("multiclass: entropy and margin disagree where they should", () => {
    // row 0: two classes tied (margin max), row 1: spread over three (entropy max)
    const probs = [0.5, 0.5, 0, 0.4, 0.3, 0.3];
    const base = { pool: [0, 1], probs, classes: 3, nonToxicIndex: 0, batchSize: 1, rand: Math.random, idOf: String };
    expect(Array.from(selectBatch({ ...base, strategy: "margin" }).rows)).toEqual([0]);
    expect(Array.from(selectBatch({ ...base, strategy: "entropy" }).rows)).toEqual([1]);
  });
});
