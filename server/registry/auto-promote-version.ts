import { autoPromotionVerdict, MIN_GOLD_FOR_AUTO_PROMOTION, type TAutoPromotionVerdict } from "@/lib/registry/auto-retrain.ts";
import { compareWithActive } from "../evaluation/compare-with-active.ts";
import { promoteModelVersion } from "./promote-model-version.ts";

/**
 * The last step of an automatic run: promote its freshly evaluated version if it is not worse than
 * the active one on the gold set (the same paired comparison the registry's Promote button makes),
 * else leave it a candidate; the verdict's message says which and why. Promotion re-scores and
 * re-ranks the open queue in background jobs, whose handlers space the queue head afterwards.
 */
export async function autoPromoteVersion(options: { workspaceId: number; modelVersionId: number; goldN: number }): Promise<TAutoPromotionVerdict> {
  const { workspaceId, modelVersionId, goldN } = options;
  // too few gold labels to judge on: say so without scoring both versions for nothing
  if (goldN < MIN_GOLD_FOR_AUTO_PROMOTION) return autoPromotionVerdict({ activeVersion: null, comparison: null, goldN });
  const check = await compareWithActive({ modelVersionId, workspaceId });
  const verdict = autoPromotionVerdict({ activeVersion: check.activeVersion, comparison: check.comparison, goldN: check.comparison?.n ?? goldN });
  if (verdict.isPromoted) await promoteModelVersion({ workspaceId, modelVersionId, check });
  return verdict;
}
