import { alignProbs, buildLabelSpace, compareOnGoldSet, labelColumns } from "@/lib/evaluation/index.ts";
import { getPool } from "../db/pool.ts";
import { predictTexts } from "../model/predict-texts.ts";
import { readTaxonomyFacts } from "./read-taxonomy-facts.ts";
import { readVersionFacts } from "./read-version-facts.ts";
import { selectGoldSet } from "./select-gold-set.ts";
import type { TPromotionCheck } from "@/lib/evaluation/contract.ts";

/**
 * Both versions score the CURRENT gold set (never stored numbers from different days and different
 * gold sets), paired item by item; see lib/evaluation/compare.ts for what counts as worse.
 */
export async function compareWithActive(options: { modelVersionId: number; workspaceId?: number }): Promise<TPromotionCheck> {
  const candidate = await readVersionFacts(options);
  const { rows } = await getPool().query<{ active_model_version_id: number | null }>(`SELECT active_model_version_id FROM workspace WHERE id = $1`, [
    candidate.workspaceId,
  ]);
  const activeId = rows[0]?.active_model_version_id ?? null;
  const none: TPromotionCheck = { modelVersionId: candidate.id, activeModelVersionId: activeId, activeVersion: null, comparison: null, isWorse: false };
  if (activeId === null || activeId === candidate.id) return none;
  const active = await readVersionFacts({ modelVersionId: activeId });
  const [taxonomy, gold] = await Promise.all([
    readTaxonomyFacts({ workspaceId: candidate.workspaceId }),
    selectGoldSet({ workspaceId: candidate.workspaceId }),
  ]);
  const texts = gold.items.map((i) => i.text);
  const [candidateProbs, activeProbs] = await Promise.all([
    predictTexts({ modelVersionId: candidate.id, texts }),
    predictTexts({ modelVersionId: active.id, texts }),
  ]);
  const space = buildLabelSpace({
    modelCategoryIds: candidate.categoryIds,
    modelNonToxicIndex: candidate.nonToxicIndex,
    goldCategoryIds: gold.items.map((i) => i.categoryId),
    nonToxicCategoryIds: [...taxonomy.nonToxicIds, candidate.categoryIds[candidate.nonToxicIndex], active.categoryIds[active.nonToxicIndex]],
    extraCategoryIds: active.categoryIds,
  });
  const comparison = compareOnGoldSet({
    yTrue: labelColumns(
      gold.items.map((i) => i.categoryId),
      space,
    ),
    candidateProbs: alignProbs(candidateProbs, candidate.categoryIds, space),
    activeProbs: alignProbs(activeProbs, active.categoryIds, space),
    nonToxicIndex: space.nonToxicIndex,
    threshold: taxonomy.flagThreshold,
    iterations: 200,
  });
  return { ...none, activeVersion: active.version, comparison, isWorse: comparison.isWorse };
}
