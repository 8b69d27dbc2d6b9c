import { describe, expect, it } from "vitest";
import { isAuditSample } from "@/lib/ranking/rank.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { distinctFeatures } from "./test-features.ts";
import { sampleRows, simulateActiveLearning, type TLearner } from "./simulate.ts";

// A 1-D toy task: x in [0, 1), toxic iff x > 0.7. The "model" is a threshold halfway between the
// largest labelled non-toxic x and the smallest labelled toxic x, with a soft sigmoid around it.
const N = 2000;
const xs = Array.from({ length: N }, (_, i) => ((i * 7919) % N) / N);
const gold = xs.map((x) => (x > 0.7 ? 1 : 0));
const testXs = Array.from({ length: 500 }, (_, i) => i / 500);

type TModel = { cut: number };
const fitted: Int32Array[] = [];
const learner: TLearner<TModel> = {
  fit: (rows) => {
    fitted.push(rows);
    let lo = 0;
    let hi = 1;
    for (const r of rows) {
      if (gold[r] === 0) lo = Math.max(lo, xs[r]);
      else hi = Math.min(hi, xs[r]);
    }
    return { cut: (lo + hi) / 2 };
  },
  predictPool: (m, rows) => {
    const out = new Float32Array(rows.length * 2);
    rows.forEach((r, i) => {
      const p = 1 / (1 + Math.exp(-(xs[r] - m.cut) * 40));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    });
    return out;
  },
  // accuracy stands in for F1: the loop does not care which figure it records
  evaluate: (m) => testXs.filter((x) => x > m.cut === x > 0.7).length / testXs.length,
};

const run = (strategy: "random" | "least_confidence" | "default", seed = 1) =>
  simulateActiveLearning({
    poolSize: N,
    classes: 2,
    nonToxicIndex: 0,
    strategy,
    initialLabels: 20,
    batchSize: 10,
    maxLabels: 100,
    rand: seededRandom(seed),
    idOf: (r) => `${seed}:${r}`,
    learner,
    features: distinctFeatures(N),
  });

describe("simulateActiveLearning", () => {
  it("records one point per round, from the seed set to the budget", () => {
    const curve = run("random");
    expect(curve.map((p) => p.labels)).toEqual([20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(curve.every((p) => p.trainLabels === p.labels && p.auditLabels === 0)).toBe(true);
  });

  it("uncertainty sampling beats random on a task where the boundary is all that matters", () => {
    const lc = run("least_confidence");
    const rnd = run("random");
    expect(lc.at(-1)!.f1).toBeGreaterThan(rnd.at(-1)!.f1);
    expect(lc.at(-1)!.f1).toBeGreaterThan(0.99);
  });

  it("never labels a row twice and trains on the seed set plus non-audit picks only", () => {
    fitted.length = 0;
    const curve = run("default", 5);
    const last = fitted.at(-1)!;
    expect(new Set(last).size).toBe(last.length);
    expect(last.length).toBe(curve.at(-1)!.trainLabels);
    expect(curve.at(-1)!.trainLabels + curve.at(-1)!.auditLabels).toBe(100);
    // every excluded label came from the audit slice
    expect(curve.at(-1)!.auditLabels).toBeGreaterThanOrEqual(0);
    const seedSet = fitted[0];
    const picked = new Set(last);
    for (const r of seedSet) expect(picked.has(r)).toBe(true);
    for (const r of last) if (!seedSet.includes(r)) expect(isAuditSample(`5:${r}`, 0.1)).toBe(false);
  });

  it("is reproducible for a seed", () => {
    expect(run("default", 9)).toEqual(run("default", 9));
  });

  it("stops at the pool size when the budget exceeds it", () => {
    const curve = simulateActiveLearning({
      poolSize: 25,
      classes: 2,
      nonToxicIndex: 0,
      strategy: "margin",
      initialLabels: 10,
      batchSize: 10,
      maxLabels: 100,
      rand: seededRandom(2),
      idOf: String,
      learner,
    });
    expect(curve.map((p) => p.labels)).toEqual([10, 20, 25]);
  });

  it("sampleRows draws distinct rows", () => {
    const s = sampleRows(50, 50, seededRandom(3));
    expect(new Set(s).size).toBe(50);
    expect(sampleRows(5, 10, seededRandom(3)).length).toBe(5);
  });
});
