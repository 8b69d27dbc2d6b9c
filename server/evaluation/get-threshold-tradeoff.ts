import { AppError } from "@/lib/errors.ts";
import { calibrate, type TCalibrationTarget } from "@/lib/evaluation/index.ts";
import { getPool } from "../db/pool.ts";
import { predictTexts } from "../model/predict-texts.ts";
import { readTaxonomyFacts } from "./read-taxonomy-facts.ts";
import { readVersionFacts } from "./read-version-facts.ts";
import { selectGoldSet } from "./select-gold-set.ts";
import type { TThresholdTradeoff } from "@/lib/evaluation/contract.ts";

/**
 * The flag-threshold trade-off of a version (default: the active one) on the gold set: every cut's
 * precision, recall and flag rate, today's cut, and the cut a target would pick. Toxic = any gold
 * label on a category that is not non-toxic; score = 1 − p(non-toxic), as the queue flags.
 */
export async function getThresholdTradeoff(options: {
  workspaceId: number;
  modelVersionId?: number;
  target?: TCalibrationTarget;
}): Promise<TThresholdTradeoff> {
  const { workspaceId } = options;
  let modelVersionId = options.modelVersionId;
  if (modelVersionId === undefined) {
    const { rows } = await getPool().query<{ active_model_version_id: number | null }>(`SELECT active_model_version_id FROM workspace WHERE id = $1`, [
      workspaceId,
    ]);
    if (!rows[0]) throw new AppError("NOT_FOUND", `Workspace ${workspaceId} does not exist.`);
    if (rows[0].active_model_version_id === null)
      throw new AppError("NO_MODEL", "There is no active model to calibrate yet: train a version and promote it first.");
    modelVersionId = rows[0].active_model_version_id;
  }
  const version = await readVersionFacts({ modelVersionId, workspaceId });
  const [taxonomy, gold] = await Promise.all([readTaxonomyFacts({ workspaceId }), selectGoldSet({ workspaceId })]);
  const probs = await predictTexts({ modelVersionId, texts: gold.items.map((i) => i.text) });
  const nonToxic = new Set(taxonomy.nonToxicIds);
  const calibration = calibrate({
    isToxic: gold.items.map((i) => !nonToxic.has(i.categoryId)),
    scores: probs.map((p) => 1 - p[version.nonToxicIndex]),
    target: options.target,
    currentThreshold: taxonomy.flagThreshold,
  });
  return { ...calibration, modelVersionId, version: version.version, currentThreshold: taxonomy.flagThreshold };
}
