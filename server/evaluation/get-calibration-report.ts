import { calibrateLogProbs } from "@/lib/calibration/calibrator.ts";
import { reliabilityDiagram, type TReliability } from "@/lib/calibration/reliability.ts";
import { AppError } from "@/lib/errors.ts";
import type { TStoredEvaluation } from "@/lib/evaluation/index.ts";
import { ZCalibration, type TCalibration } from "@/lib/model/manifest.ts";
import { getPool } from "../db/pool.ts";

export type TCalibrationReport = {
  modelVersionId: number;
  version: string;
  /** the manifest's calibration block: method, parameters, the candidates compared, default threshold (null: not calibrated) */
  calibration: TCalibration | null;
  /** reliability of the training labels' out-of-fold probabilities, before and after the calibration (null: none stored) */
  outOfFold: { n: number; uncalibrated: TReliability; calibrated: TReliability } | null;
  /** reliability of the served probabilities on the gold set, from the version's last evaluation (null: not evaluated yet) */
  gold: (NonNullable<TStoredEvaluation["calibration"]> & { evaluatedAt: string }) | null;
};

/**
 * The data behind a version's reliability diagram and ECE on the Models page: the calibration the
 * manifest ships, the out-of-fold picture it was fitted on, and the gold set's (the unbiased one:
 * out-of-fold rows are the labelled set, which the uncertainty queue tilts towards hard cases).
 */
export async function getCalibrationReport({ workspaceId, modelVersionId }: { workspaceId: number; modelVersionId: number }): Promise<TCalibrationReport> {
  const pool = getPool();
  const { rows } = await pool.query<{ version: string; calibration: unknown; category_ids: number[]; evaluation: TStoredEvaluation | null }>(
    `SELECT version, manifest->'calibration' AS calibration, category_ids, metrics->'evaluation' AS evaluation
       FROM model_version WHERE id = $1 AND workspace_id = $2`,
    [modelVersionId, workspaceId],
  );
  const v = rows[0];
  if (!v) throw new AppError("NOT_FOUND", `Model version ${modelVersionId} does not exist in this workspace; reload the model registry.`);
  const parsed = v.calibration == null ? null : ZCalibration.safeParse(v.calibration);
  const calibration = parsed?.success ? parsed.data : null;

  const { rows: oofRows } = await pool.query<{ category_ids: number[]; log_probs: Buffer }>(
    `SELECT category_ids, log_probs FROM model_out_of_fold WHERE model_version_id = $1`,
    [modelVersionId],
  );
  let outOfFold: TCalibrationReport["outOfFold"] = null;
  if (oofRows[0]) {
    const K = v.category_ids.length;
    const buf = oofRows[0].log_probs;
    const logProbs = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const columnOf = new Map(v.category_ids.map((id, k) => [id, k]));
    const labels = oofRows[0].category_ids.map((id) => columnOf.get(id) ?? 0);
    outOfFold = {
      n: labels.length,
      uncalibrated: reliabilityDiagram({ probs: calibrateLogProbs({ method: "none" }, logProbs, K), classes: K }, labels),
      calibrated: reliabilityDiagram({ probs: calibrateLogProbs(calibration ?? { method: "none" }, logProbs, K), classes: K }, labels),
    };
  }
  const gold = v.evaluation?.calibration ? { ...v.evaluation.calibration, evaluatedAt: v.evaluation.evaluatedAt } : null;
  return { modelVersionId, version: v.version, calibration, outOfFold, gold };
}
