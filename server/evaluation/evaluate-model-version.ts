import { brierBinary, meanNll, reliabilityDiagram } from "@/lib/calibration/reliability.ts";
import { alignProbs, buildLabelSpace, labelColumns, type TStoredEvaluation } from "@/lib/evaluation/index.ts";
import { evaluateClassifier } from "@/lib/metrics/index.ts";
import { getPool } from "../db/pool.ts";
import { predictTexts } from "../model/predict-texts.ts";
import { readTaxonomyFacts } from "./read-taxonomy-facts.ts";
import { readVersionFacts } from "./read-version-facts.ts";
import { selectGoldSet, type TGoldSet } from "./select-gold-set.ts";

export type TEvaluateModelVersionOptions = {
  modelVersionId: number;
  /** reuse a gold set already read (evaluating several versions at once) */
  goldSet?: TGoldSet;
};

/**
 * Evaluates a version on the workspace's current gold set and stores the result (with its n, the
 * gold set's fingerprint and the date) under model_version.metrics.evaluation. Binary scores use the
 * workspace's flag threshold, the rule the queue flags by. Gold labels on categories the version does
 * not know stay in (as misses), so every version is measured on the same items.
 */
export async function evaluateModelVersion(options: TEvaluateModelVersionOptions): Promise<TStoredEvaluation> {
  const version = await readVersionFacts({ modelVersionId: options.modelVersionId });
  const [taxonomy, gold] = await Promise.all([
    readTaxonomyFacts({ workspaceId: version.workspaceId }),
    options.goldSet ?? selectGoldSet({ workspaceId: version.workspaceId }),
  ]);
  const probs = await predictTexts({ modelVersionId: version.id, texts: gold.items.map((i) => i.text) });
  const space = buildLabelSpace({
    modelCategoryIds: version.categoryIds,
    modelNonToxicIndex: version.nonToxicIndex,
    goldCategoryIds: gold.items.map((i) => i.categoryId),
    nonToxicCategoryIds: taxonomy.nonToxicIds,
  });
  const aligned = alignProbs(probs, version.categoryIds, space);
  const yTrue = labelColumns(
    gold.items.map((i) => i.categoryId),
    space,
  );
  // How far the served (calibrated) probabilities are from the gold labels: the Models page's
  // reliability diagram and ECE per version (15 bins, top label).
  const rows = { probs: aligned.flat(), classes: space.categoryIds.length };
  const hasRows = aligned.length > 0 && rows.classes >= 2;
  const calibration = hasRows
    ? { reliability: reliabilityDiagram(rows, yTrue), brierBinary: brierBinary(rows, yTrue, space.nonToxicIndex), nll: meanNll(rows, yTrue) }
    : null;
  const evaluation = evaluateClassifier({
    probs: aligned,
    yTrue,
    labels: space.categoryIds.map((id) => taxonomy.nameOf.get(id) ?? `category ${id}`),
    nonToxicIndex: space.nonToxicIndex,
    threshold: taxonomy.flagThreshold,
  });
  const stored: TStoredEvaluation = {
    ...evaluation,
    calibration,
    evaluatedAt: new Date().toISOString(),
    categoryIds: space.categoryIds,
    goldSet: { ...gold.snapshot, heldOut: gold.heldOut, audit: gold.audit },
  };
  await getPool().query(`UPDATE model_version SET metrics = coalesce(metrics, '{}'::jsonb) || jsonb_build_object('evaluation', $2::jsonb) WHERE id = $1`, [
    version.id,
    JSON.stringify(stored),
  ]);
  return stored;
}
