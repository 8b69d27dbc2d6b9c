import { describe, expect, it } from "vitest";
import type { TMetricDelta, TVersionComparison } from "@/lib/evaluation/compare.ts";
import { autoPromotionVerdict, describeAutoRun, MIN_GOLD_FOR_AUTO_PROMOTION, retrainVerdict, type TRetrainFacts } from "./auto-retrain.ts";

const due: TRetrainFacts = { retrainEvery: 200, hasActiveModel: true, hasUnfinishedRun: false, newLabels: 200 };

describe("retrainVerdict", () => {
  it("is due once the new labels reach the setting, not one label before", () => {
    expect(retrainVerdict(due)).toMatchObject({ isDue: true, reason: expect.stringContaining("200 new labels") });
    expect(retrainVerdict({ ...due, newLabels: 5_000 }).isDue).toBe(true);
    expect(retrainVerdict({ ...due, newLabels: 199 })).toEqual({ isDue: false, reason: "199 of 200 new labels" });
    expect(retrainVerdict({ ...due, newLabels: 0 }).isDue).toBe(false);
  });

  it("is never due with the setting off, without an active version, or while a run is unfinished", () => {
    expect(retrainVerdict({ ...due, retrainEvery: null, newLabels: 1e6 })).toEqual({ isDue: false, reason: "automatic retrain is off" });
    expect(retrainVerdict({ ...due, hasActiveModel: false }).reason).toMatch(/no active model/);
    expect(retrainVerdict({ ...due, hasUnfinishedRun: true }).reason).toMatch(/already unfinished/);
  });

  it("follows the workspace's own threshold", () => {
    expect(retrainVerdict({ ...due, retrainEvery: 50, newLabels: 50 }).isDue).toBe(true);
    expect(retrainVerdict({ ...due, retrainEvery: 1_000, newLabels: 999 }).isDue).toBe(false);
  });
});

describe("describeAutoRun", () => {
  it("says how many labels an automatic run waits for", () => {
    expect(describeAutoRun(200)).toBe("automatic, after 200 new labels");
    expect(describeAutoRun(5_000)).toBe("automatic, after 5,000 new labels");
    expect(describeAutoRun(null)).toBe("automatic");
  });
});

const delta = (candidate: number, active: number, isWorse = false): TMetricDelta => ({
  candidate,
  active,
  delta: candidate - active,
  standardError: 0.01,
  margin: 0.02,
  isWorse,
});
const comparison = (over: Partial<TVersionComparison> = {}): TVersionComparison => ({
  n: 80,
  binaryF1: delta(0.9, 0.88),
  macroF1: delta(0.76, 0.74),
  isWorse: false,
  ...over,
});
const base = { activeVersion: "linear-old", goldN: 80 };

describe("autoPromotionVerdict", () => {
  it("promotes a version that is not worse on a big enough gold set, quoting both F1s", () => {
    const verdict = autoPromotionVerdict({ ...base, comparison: comparison() });
    expect(verdict.isPromoted).toBe(true);
    expect(verdict.message).toBe("promoted automatically: not worse than linear-old on the gold set (macro F1 0.760 vs 0.740, binary F1 0.900 vs 0.880).");
  });

  it("promotes a small drop within noise (not worse is not the same as better)", () => {
    const lower = autoPromotionVerdict({ ...base, comparison: comparison({ macroF1: delta(0.73, 0.74) }) });
    expect(lower.isPromoted).toBe(true);
    // lower numbers are never called "not worse": the message says the drop is within noise
    expect(lower.message).toBe(
      "promoted automatically: lower than linear-old on the gold set only within noise (macro F1 0.730 vs 0.740, binary F1 0.900 vs 0.880; on 80 gold labels the paired bootstrap cannot tell them apart).",
    );
  });

  it("keeps a worse version as a candidate and names the metric that dropped", () => {
    const macro = autoPromotionVerdict({ ...base, comparison: comparison({ macroF1: delta(0.71, 0.74, true), isWorse: true }) });
    expect(macro.isPromoted).toBe(false);
    expect(macro.message).toMatch(/^kept as a candidate: macro F1 on the gold set 0\.710 vs active 0\.740 \(linear-old\); compare them/);
    const binary = autoPromotionVerdict({ ...base, comparison: comparison({ binaryF1: delta(0.8, 0.88, true), isWorse: true }) });
    expect(binary).toMatchObject({ isPromoted: false, message: expect.stringContaining("binary F1 on the gold set 0.800 vs active 0.880") });
  });

  it("never promotes on a gold set too small to judge on, however good the numbers", () => {
    const small = autoPromotionVerdict({ ...base, goldN: MIN_GOLD_FOR_AUTO_PROMOTION - 1, comparison: comparison({ n: MIN_GOLD_FOR_AUTO_PROMOTION - 1 }) });
    expect(small.isPromoted).toBe(false);
    expect(small.message).toMatch(/gold set has 49 labels and automatic promotion needs at least 50/);
    const none = autoPromotionVerdict({ ...base, goldN: 0, comparison: null });
    expect(none).toMatchObject({ isPromoted: false, message: expect.stringMatching(/gold set has 0 labels/) });
    expect(autoPromotionVerdict({ ...base, goldN: 10, minGoldN: 10, comparison: comparison({ n: 10 }) }).isPromoted).toBe(true);
  });

  it("keeps the version as a candidate when there is no active version to compare with", () => {
    expect(autoPromotionVerdict({ ...base, activeVersion: null, comparison: null })).toMatchObject({
      isPromoted: false,
      message: expect.stringMatching(/no active version/),
    });
  });
});
