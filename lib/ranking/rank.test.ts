import { describe, expect, it } from "vitest";
import {
  auditPriority,
  auditSlots,
  FLAGGED_OFFSET,
  isAuditSample,
  isOverlapSample,
  leastConfidence,
  marginUncertainty,
  normalisedEntropy,
  queuePriority,
  RANK_STRATEGIES,
  requiredReviews,
  toxicScore,
  uncertainty,
  UNCERTAINTY_STRATEGIES,
  type TPriorityInput,
} from "./rank.ts";
import { unitHash } from "@/lib/random/hash.ts";

const base: Omit<TPriorityInput, "probs" | "strategy"> = { nonToxicIndex: 0, threshold: 0.5, isFlaggedFirst: true, excerptId: "1", occurredAtMs: 0 };
const prio = (probs: number[], strategy: TPriorityInput["strategy"], extra: Partial<TPriorityInput> = {}) =>
  queuePriority({ ...base, probs, strategy, ...extra });

describe("toxicScore", () => {
  it("is 1 − p(non-toxic) wherever the non-toxic class sits", () => {
    expect(toxicScore([0.8, 0.1, 0.1], 0)).toBeCloseTo(0.2);
    expect(toxicScore([0.1, 0.1, 0.8], 2)).toBeCloseTo(0.2);
    expect(toxicScore(new Float32Array([0.25, 0.75]), 1)).toBeCloseTo(0.25);
    expect(toxicScore([1, 0], 0)).toBe(0);
    expect(toxicScore([0, 1], 0)).toBe(1);
  });
});

describe("uncertainty measures", () => {
  it("least confidence: 0 when sure, 1 − 1/K when uniform", () => {
    expect(leastConfidence([1, 0, 0])).toBe(0);
    expect(leastConfidence([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(0.75);
    expect(leastConfidence([0.6, 0.3, 0.1])).toBeCloseTo(0.4);
  });

  it("margin: 1 when the top two tie, 0 when one has all the mass", () => {
    expect(marginUncertainty([0.5, 0.5])).toBe(1);
    expect(marginUncertainty([0.4, 0.4, 0.2])).toBeCloseTo(1);
    expect(marginUncertainty([1, 0, 0])).toBe(0);
    expect(marginUncertainty([0.6, 0.3, 0.1])).toBeCloseTo(0.7);
    // order of the inputs does not matter
    expect(marginUncertainty([0.1, 0.3, 0.6])).toBeCloseTo(0.7);
    expect(marginUncertainty([0.3, 0.6, 0.1])).toBeCloseTo(0.7);
  });

  it("margin of a single output is 0 (no runner-up)", () => {
    expect(marginUncertainty([1])).toBe(0);
  });

  it("entropy is normalised to [0, 1]", () => {
    expect(normalisedEntropy([1, 0, 0, 0])).toBe(0);
    expect(normalisedEntropy([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(1);
    expect(normalisedEntropy([0.5, 0.5])).toBeCloseTo(1);
    const h = normalisedEntropy([0.7, 0.2, 0.1]);
    expect(h).toBeGreaterThan(0);
    expect(h).toBeLessThan(1);
    expect(h).toBeCloseTo(-(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1)) / Math.log(3), 10);
    expect(normalisedEntropy([1])).toBe(0);
  });

  it("all three agree on which of two predictions is less certain", () => {
    const sure = [0.9, 0.05, 0.05];
    const unsure = [0.4, 0.35, 0.25];
    for (const s of UNCERTAINTY_STRATEGIES) expect(uncertainty(unsure, s)).toBeGreaterThan(uncertainty(sure, s));
  });

  it("dispatches by strategy", () => {
    const p = [0.6, 0.3, 0.1];
    expect(uncertainty(p, "least_confidence")).toBe(leastConfidence(p));
    expect(uncertainty(p, "margin")).toBe(marginUncertainty(p));
    expect(uncertainty(p, "entropy")).toBe(normalisedEntropy(p));
  });
});

describe("audit slice", () => {
  it("isAuditSample takes about randomShare of ids, and 0 / 1 take none / all", () => {
    const n = 20_000;
    let k = 0;
    for (let i = 1; i <= n; i++) if (isAuditSample(i, 0.1)) k++;
    expect(k / n).toBeGreaterThan(0.09);
    expect(k / n).toBeLessThan(0.11);
    for (let i = 1; i <= 200; i++) {
      expect(isAuditSample(i, 0)).toBe(false);
      expect(isAuditSample(i, 1)).toBe(true);
    }
  });

  it("membership is stable and nested: raising the share only adds items", () => {
    for (let i = 1; i <= 2000; i++) {
      expect(isAuditSample(i, 0.1)).toBe(isAuditSample(String(i), 0.1));
      if (isAuditSample(i, 0.05)) expect(isAuditSample(i, 0.2)).toBe(true);
    }
  });

  it("membership is independent of the model's scores (same id, any prediction)", () => {
    // nothing about the prediction enters isAuditSample, so flagged and unflagged items are sampled alike
    const ids = Array.from({ length: 5000 }, (_, i) => i + 1);
    const flagged = ids.filter((id) => prio([0.2, 0.8], "least_confidence", { excerptId: id }).isFlagged || id % 2 === 0);
    const share = flagged.filter((id) => isAuditSample(id, 0.1)).length / flagged.length;
    expect(share).toBeGreaterThan(0.085);
    expect(share).toBeLessThan(0.115);
  });

  it("auditPriority is stable, in [0, 1), and not the same order as membership", () => {
    expect(auditPriority(7)).toBe(auditPriority("7"));
    expect(auditPriority(7)).not.toBe(unitHash(7, "audit"));
    for (let i = 1; i <= 100; i++) {
      expect(auditPriority(i)).toBeGreaterThanOrEqual(0);
      expect(auditPriority(i)).toBeLessThan(1);
    }
  });

  it("auditSlots counts the slots whose draw falls under the share", () => {
    const draws = [0.05, 0.5, 0.09, 0.1, 0.99];
    let i = 0;
    expect(auditSlots(5, 0.1, () => draws[i++])).toBe(2);
    expect(auditSlots(5, 0, () => 0)).toBe(0);
    expect(auditSlots(5, 1, () => 0.999)).toBe(5);
    expect(auditSlots(0, 0.5)).toBe(0);
  });

  it("auditSlots averages batchSize × share over many batches", () => {
    let seed = 12345;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    let total = 0;
    for (let b = 0; b < 4000; b++) total += auditSlots(5, 0.1, rand);
    expect(total / 4000).toBeGreaterThan(0.45);
    expect(total / 4000).toBeLessThan(0.55);
  });
});

describe("queuePriority", () => {
  it("flags at the threshold (inclusive) and not below", () => {
    expect(prio([0.5, 0.5], "least_confidence").isFlagged).toBe(true);
    expect(prio([0.51, 0.49], "least_confidence").isFlagged).toBe(false);
    expect(prio([0.51, 0.49], "least_confidence", { threshold: 0.4 }).isFlagged).toBe(true);
    expect(prio([0.2, 0.8], "least_confidence", { nonToxicIndex: 1 }).isFlagged).toBe(false);
  });

  it("every flagged item outranks every unflagged one under each uncertainty strategy", () => {
    // the hardest case: a flagged item the model is certain of vs an unflagged item with a tie at the top
    for (const strategy of UNCERTAINTY_STRATEGIES) {
      const certainToxic = prio([0, 1, 0], strategy, { threshold: 0.9 });
      const tiedUnflagged = prio([0.4, 0.4, 0.2], strategy, { threshold: 0.9 });
      const uniformUnflagged = prio([1 / 3, 1 / 3, 1 / 3], strategy, { threshold: 0.9 });
      expect(certainToxic.isFlagged).toBe(true);
      expect(tiedUnflagged.isFlagged).toBe(false);
      expect(certainToxic.priority).toBeGreaterThan(tiedUnflagged.priority);
      expect(certainToxic.priority).toBeGreaterThan(uniformUnflagged.priority);
    }
  });

  it("places flagged items in [2, 3] and unflagged in [0, 1]", () => {
    const cases = [
      [0.9, 0.1],
      [0.6, 0.3, 0.1],
      [0.1, 0.9],
      [0.3, 0.3, 0.4],
      [0, 1],
      [1, 0],
    ];
    for (const strategy of UNCERTAINTY_STRATEGIES) {
      for (const probs of cases) {
        const { priority, isFlagged } = prio(probs, strategy);
        if (isFlagged) {
          expect(priority).toBeGreaterThanOrEqual(FLAGGED_OFFSET);
          expect(priority).toBeLessThanOrEqual(FLAGGED_OFFSET + 1);
        } else {
          expect(priority).toBeGreaterThanOrEqual(0);
          expect(priority).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it("without the flagged tier, uncertainty alone orders flagged and unflagged items, in [0, 1], and the flag is still reported", () => {
    for (const strategy of UNCERTAINTY_STRATEGIES) {
      const certainToxic = prio([0.02, 0.96, 0.02], strategy, { isFlaggedFirst: false });
      const tiedUnflagged = prio([0.4, 0.4, 0.2], strategy, { threshold: 0.9, isFlaggedFirst: false });
      expect(certainToxic.isFlagged).toBe(true);
      expect(tiedUnflagged.isFlagged).toBe(false);
      expect(tiedUnflagged.priority).toBeGreaterThan(certainToxic.priority);
      for (const probs of [
        [0.9, 0.1],
        [0.1, 0.9],
        [0.3, 0.3, 0.4],
        [0, 1],
      ]) {
        const { priority } = prio(probs, strategy, { isFlaggedFirst: false });
        expect(priority).toBeGreaterThanOrEqual(0);
        expect(priority).toBeLessThanOrEqual(1);
        expect(priority).toBeCloseTo(uncertainty(probs, strategy), 12);
      }
    }
  });

  it("within the flagged group, less certain comes first", () => {
    const unsure = prio([0.3, 0.35, 0.35], "least_confidence");
    const sure = prio([0.05, 0.9, 0.05], "least_confidence");
    expect(unsure.priority).toBeGreaterThan(sure.priority);
    expect(prio([0.3, 0.35, 0.35], "margin").priority).toBeGreaterThan(prio([0.05, 0.9, 0.05], "margin").priority);
    expect(prio([0.3, 0.35, 0.35], "entropy").priority).toBeGreaterThan(prio([0.05, 0.9, 0.05], "entropy").priority);
  });

  it("within the unflagged group, less certain comes first", () => {
    expect(prio([0.55, 0.45], "least_confidence").priority).toBeGreaterThan(prio([0.95, 0.05], "least_confidence").priority);
  });

  it("toxic_score orders by toxic score alone, ignoring the flag", () => {
    const a = prio([0.1, 0.9], "toxic_score");
    const b = prio([0.6, 0.4], "toxic_score");
    expect(a.priority).toBeCloseTo(0.9);
    expect(b.priority).toBeCloseTo(0.4);
    expect(a.isFlagged).toBe(true);
    expect(b.isFlagged).toBe(false);
  });

  it("random is a stable hash of the id, independent of the prediction", () => {
    const a = prio([0.1, 0.9], "random", { excerptId: "99" });
    const b = prio([0.9, 0.1], "random", { excerptId: "99" });
    expect(a.priority).toBe(b.priority);
    expect(a.priority).toBe(unitHash("99", "order"));
    expect(prio([0.1, 0.9], "random", { excerptId: "100" }).priority).not.toBe(a.priority);
  });

  it("oldest serves the earliest time first, to the millisecond", () => {
    const t = Date.parse("2026-11-28T10:00:00Z");
    const older = prio([0.5, 0.5], "oldest", { occurredAtMs: t });
    const newer = prio([0.5, 0.5], "oldest", { occurredAtMs: t + 1 });
    expect(older.priority).toBeGreaterThan(newer.priority);
    expect(older.priority).toBe(-t / 1000);
  });

  it("refuses inputs that would give a NaN priority (NaN sorts first in PostgreSQL)", () => {
    expect(() => prio([NaN, 0.5], "least_confidence")).toThrow(RangeError);
    expect(() => prio([0.5, Infinity], "margin")).toThrow(/finite/);
    expect(() => prio([-0.1, 1.1], "entropy")).toThrow(/≥ 0/);
    expect(() => prio([1], "least_confidence")).toThrow(/at least 2/);
    expect(() => prio([0.5, 0.5], "least_confidence", { nonToxicIndex: 2 })).toThrow(/outside/);
    expect(() => prio([0.5, 0.5], "least_confidence", { nonToxicIndex: -1 })).toThrow(/outside/);
    expect(() => prio([0.5, 0.5], "oldest", { occurredAtMs: NaN })).toThrow(/finite time/);
  });

  it("returns a finite number for every strategy on valid input", () => {
    for (const strategy of RANK_STRATEGIES) {
      for (const probs of [[0.5, 0.5], [1, 0], [0.2, 0.3, 0.5], new Float32Array([0.7, 0.2, 0.1])]) {
        expect(Number.isFinite(prio(Array.from(probs), strategy, { occurredAtMs: 1_700_000_000_000 }).priority)).toBe(true);
      }
    }
  });
});

describe("overlap sample", () => {
  it("takes about overlapShare of ids, independently of the audit slice", () => {
    const n = 40_000;
    let overlap = 0;
    let both = 0;
    for (let i = 1; i <= n; i++) {
      if (isOverlapSample(i, 0.05)) overlap++;
      if (isOverlapSample(i, 0.05) && isAuditSample(i, 0.1)) both++;
    }
    expect(overlap / n).toBeGreaterThan(0.045);
    expect(overlap / n).toBeLessThan(0.055);
    // independent salts: about 0.05 × 0.1 of ids are in both, not 0.05 (same salt) or 0
    expect(both / n).toBeGreaterThan(0.003);
    expect(both / n).toBeLessThan(0.007);
  });

  it("is stable, 0 takes none, and requiredReviews is 2 exactly for overlap items", () => {
    for (let i = 1; i <= 2000; i++) {
      expect(isOverlapSample(i, 0.3)).toBe(isOverlapSample(String(i), 0.3));
      expect(isOverlapSample(i, 0)).toBe(false);
      expect(requiredReviews(i, 0.3)).toBe(isOverlapSample(i, 0.3) ? 2 : 1);
    }
  });
});
