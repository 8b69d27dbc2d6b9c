/**
 * Automatic retrain, the pure part: when a workspace is due for a new version, and whether the
 * version it produced may replace the active one without a person looking. The worker's sweep reads
 * the facts (server/registry/request-due-retrains.ts); the training job acts on the verdict
 * (server/registry/auto-promote-version.ts).
 */
import type { TVersionComparison } from "@/lib/evaluation/compare.ts";

/** The choices Admin → Settings offers; the API accepts any whole number in [MIN, MAX]. */
export const RETRAIN_EVERY_CHOICES = [100, 200, 500, 1_000, 5_000] as const;
/** What a new workspace starts with (the column default in prisma/migrations/…_auto_retrain). */
export const DEFAULT_RETRAIN_EVERY = 200;
/** Below this a retrain learns little and, on a busy team, would run every few minutes. */
export const MIN_RETRAIN_EVERY = 50;
export const MAX_RETRAIN_EVERY = 100_000;

/**
 * Automatic promotion needs at least this many gold labels. Below it, one item flipping moves macro F1
 * by several points, the comparison's noise margin is wider than any real difference, and "not worse"
 * would wave every version through.
 */
export const MIN_GOLD_FOR_AUTO_PROMOTION = 50;

export type TRetrainFacts = {
  /** workspace.retrain_every; null = automatic retrain is off */
  retrainEvery: number | null;
  hasActiveModel: boolean;
  /** a training run (manual or automatic) is queued or running: it will pick up the new labels */
  hasUnfinishedRun: boolean;
  /** human labels since the newest training run or model version (see the sweep's query) */
  newLabels: number;
};

export type TRetrainVerdict = { isDue: boolean; reason: string };

/** Is a retrain due? Only with the setting on, an active version to compare with, and nothing training. */
export function retrainVerdict(facts: TRetrainFacts): TRetrainVerdict {
  const { retrainEvery, newLabels } = facts;
  if (retrainEvery === null) return { isDue: false, reason: "automatic retrain is off" };
  // without an active version there is nothing to compare a new one with; the first one is trained by hand
  if (!facts.hasActiveModel) return { isDue: false, reason: "no active model version to compare with" };
  if (facts.hasUnfinishedRun) return { isDue: false, reason: "a training run is already unfinished" };
  if (newLabels < retrainEvery) return { isDue: false, reason: `${newLabels} of ${retrainEvery} new labels` };
  return { isDue: true, reason: `${newLabels} new labels since the last training (retrain every ${retrainEvery})` };
}

/** How the registry names an automatic run from the new labels that triggered it: "automatic, after 200 new labels". */
export function describeAutoRun(newLabels: number | null): string {
  return newLabels === null ? "automatic" : `automatic, after ${newLabels.toLocaleString("en-US")} new labels`;
}

export type TAutoPromotionInput = {
  /** the active version's name; null when the workspace has none */
  activeVersion: string | null;
  /** the paired comparison on the current gold set; null when there was nothing to compare with */
  comparison: TVersionComparison | null;
  /** gold labels in the current gold set */
  goldN: number;
  minGoldN?: number;
};

export type TAutoPromotionVerdict = { isPromoted: boolean; message: string };

const f3 = (v: number) => v.toFixed(3);

/**
 * Promote automatically only when there is a gold set big enough to judge on, an active version to
 * judge against, and the new version is not worse than it there (lib/evaluation/compare.ts: a drop
 * beyond noise in binary or macro F1). Otherwise the version stays a candidate, and the message says
 * why and what a person can do.
 */
export function autoPromotionVerdict(input: TAutoPromotionInput): TAutoPromotionVerdict {
  const { activeVersion, comparison, goldN } = input;
  const minGoldN = input.minGoldN ?? MIN_GOLD_FOR_AUTO_PROMOTION;
  if (goldN < minGoldN) {
    return {
      isPromoted: false,
      message: `kept as a candidate: the gold set has ${goldN} labels and automatic promotion needs at least ${minGoldN} (import held-out data or label audit items; promote it by hand if it looks right).`,
    };
  }
  if (activeVersion === null || comparison === null) {
    return { isPromoted: false, message: "kept as a candidate: there is no active version to compare it with; promote it by hand." };
  }
  const { macroF1, binaryF1 } = comparison;
  if (comparison.isWorse) {
    // name the metric that dropped beyond noise (macro F1 first: it is what the registry's Δ column shows)
    const worse = macroF1.isWorse ? { name: "macro F1", d: macroF1 } : { name: "binary F1", d: binaryF1 };
    return {
      isPromoted: false,
      message: `kept as a candidate: ${worse.name} on the gold set ${f3(worse.d.candidate)} vs active ${f3(worse.d.active)} (${activeVersion}); compare them in the registry before promoting it by hand.`,
    };
  }
  const figures = `macro F1 ${f3(macroF1.candidate)} vs ${f3(macroF1.active)}, binary F1 ${f3(binaryF1.candidate)} vs ${f3(binaryF1.active)}`;
  // a lower figure that is within noise still promotes (the new version saw more labels), but the message
  // must not call it "not worse" when the numbers beside it are lower
  const isLower = macroF1.candidate < macroF1.active || binaryF1.candidate < binaryF1.active;
  return {
    isPromoted: true,
    message: isLower
      ? `promoted automatically: lower than ${activeVersion} on the gold set only within noise (${figures}; on ${goldN} gold labels the paired bootstrap cannot tell them apart).`
      : `promoted automatically: not worse than ${activeVersion} on the gold set (${figures}).`,
  };
}
