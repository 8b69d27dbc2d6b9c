import { getPool } from "../db/pool.ts";
import { evaluateModelVersion } from "../evaluation/evaluate-model-version.ts";
import { detectLabelErrors, type TDetectLabelErrorsResult } from "../label-errors/detect-label-errors.ts";
import { trainModelVersion } from "./train-model-version.ts";
import { autoPromoteVersion } from "./auto-promote-version.ts";

export type TRunTrainingResult = {
  trainingRunId: number;
  status: "done" | "failed";
  modelVersionId: number | null;
  message: string;
  /** an automatic run (the sweep asked for it after new labels) */
  isAuto: boolean;
  /** an automatic run's version replaced the active one (not worse on the gold set) */
  isPromoted: boolean;
  /** label-error detection on the run's out-of-fold probabilities (null when it failed or the run did) */
  labelErrors: TDetectLabelErrorsResult | null;
};

const fmt = (v: number | null | undefined) => (typeof v === "number" ? v.toFixed(3) : "–");

/**
 * The training job (worker, or `npm run train` in-process): takes the workspace's unfinished run
 * (creating one for a job queued without it), trains a candidate version on the current labels
 * (gold set excluded), evaluates it on the gold set and registers the metrics, updating the run's
 * status at each step so the registry page can show progress. An automatic run then promotes its
 * version if it is not worse than the active one on the gold set (autoPromoteVersion); a manual run
 * leaves that to the data scientist. Finally, label-error detection runs on the new version's out-of-fold
 * probabilities and refills the re-review queue (its failure is noted on the run, never fails it). A failure is recorded on the run
 * with its message, not thrown: the run is the user-visible record, and a blind retry of a
 * deterministic failure (no labels, no non-toxic category) would only repeat it. A crashed worker
 * leaves the run unfinished; pg-boss retries the job, which picks the same run up again.
 */
export async function runTraining(options: {
  workspaceId: number;
  trainedById?: number | null;
  onStatus?: (status: string, message: string) => void;
}): Promise<TRunTrainingResult> {
  const { workspaceId } = options;
  const pool = getPool();
  const setStatus = async (id: number, status: string, message: string, modelVersionId: number | null = null) => {
    await pool.query(
      `UPDATE training_run SET status = $2, message = $3, model_version_id = coalesce($4, model_version_id),
              finished_at = CASE WHEN $2 IN ('done', 'failed') THEN now() END
        WHERE id = $1`,
      [id, status, message, modelVersionId],
    );
    options.onStatus?.(status, message);
  };

  const claimed = await pool.query<{ id: number; requested_by_id: number | null; is_auto: boolean }>(
    `UPDATE training_run SET status = 'training', started_at = now(), message = 'Training on the current labels'
      WHERE workspace_id = $1 AND status IN ('queued', 'training', 'evaluating')
      RETURNING id, requested_by_id, is_auto`,
    [workspaceId],
  );
  let run = claimed.rows[0];
  if (!run) {
    const { rows } = await pool.query<{ id: number; requested_by_id: number | null; is_auto: boolean }>(
      `INSERT INTO training_run (workspace_id, requested_by_id, status, message, started_at) VALUES ($1, $2, 'training', 'Training on the current labels', now())
       RETURNING id, requested_by_id, is_auto`,
      [workspaceId, options.trainedById ?? null],
    );
    run = rows[0];
  }
  options.onStatus?.("training", "Training on the current labels");

  let modelVersionId: number | null = null;
  try {
    const startedAt = performance.now();
    const trained = await trainModelVersion({ workspaceId, trainedById: run.requested_by_id ?? options.trainedById ?? null, activate: false });
    modelVersionId = trained.modelVersionId;
    const trainSeconds = (performance.now() - startedAt) / 1000;
    await setStatus(
      run.id,
      "evaluating",
      `Trained ${trained.version} on ${trained.examples} labels in ${trainSeconds.toFixed(1)} s; evaluating on the gold set`,
      modelVersionId,
    );
    const evaluation = await evaluateModelVersion({ modelVersionId });
    let message =
      evaluation.n === 0
        ? `${trained.version}: trained on ${trained.examples} labels; the gold set is empty, so it has no evaluation yet (import held-out data or label audit items).`
        : `${trained.version}: binary F1 ${fmt(evaluation.binary.f1)}, macro F1 ${fmt(evaluation.fineGrained.macro?.f1)} on ${evaluation.n} gold labels`;
    let isPromoted = false;
    if (run.is_auto) {
      await setStatus(run.id, "evaluating", `${message.replace(/\.$/, "")}; comparing with the active version`, modelVersionId);
      let verdict: string;
      try {
        const promoted = await autoPromoteVersion({ workspaceId, modelVersionId, goldN: evaluation.n });
        isPromoted = promoted.isPromoted;
        verdict = promoted.message;
      } catch (err) {
        // the version is trained and evaluated: keep it (a candidate) rather than failing the run
        verdict = `kept as a candidate: automatic promotion failed (${(err as Error).message}); promote it by hand.`;
      }
      message = `${message.replace(/\.$/, "")}; ${verdict}`;
    }
    let labelErrors: TDetectLabelErrorsResult | null = null;
    try {
      labelErrors = await detectLabelErrors({ modelVersionId });
      if (labelErrors.reason === null) {
        message = `${message.replace(/\.$/, "")}; ${labelErrors.queued} of ${labelErrors.examined} training labels queued for re-review as likely errors.`;
      }
    } catch (err) {
      message = `${message.replace(/\.$/, "")}; label-error detection failed (${(err as Error).message}).`;
    }
    await setStatus(run.id, "done", message, modelVersionId);
    return { trainingRunId: run.id, status: "done", modelVersionId, message, isAuto: run.is_auto, isPromoted, labelErrors };
  } catch (err) {
    const message = (err as Error).message || String(err);
    await setStatus(run.id, "failed", message, modelVersionId);
    return { trainingRunId: run.id, status: "failed", modelVersionId, message, isAuto: run.is_auto, isPromoted: false, labelErrors: null };
  }
}
