import { AppError } from "@/lib/errors.ts";
import { lexiconPseudoExamples } from "@/lib/model/lexicon-prior.ts";
import { packageLinearModel } from "@/lib/model/package-linear.ts";
import { trainCalibratedLinear } from "@/lib/model/train-calibrated.ts";
import { snapshotLabelSet } from "@/lib/evaluation/snapshot.ts";
import { getPool } from "../db/pool.ts";
import { inTransaction } from "../db/transaction.ts";
import { selectTrainingLabels } from "../evaluation/select-training-labels.ts";
import { activateVersion } from "./activate-version.ts";
import { requeueWorkspace } from "../queue/requeue-workspace.ts";

export type TTrainModelVersionOptions = {
  workspaceId: number;
  trainedById?: number | null;
  /** make it the workspace's active model (others archived) and re-rank the open queue */
  activate?: boolean;
};

export type TTrainModelVersionResult = {
  modelVersionId: number;
  version: string;
  examples: number;
  /** how the version's probabilities are calibrated (the manifest's calibration.method) */
  calibrationMethod: string;
  /** out-of-fold probabilities were stored (enough labels to cross-fit) */
  hasOutOfFold: boolean;
};

function versionName(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `linear-${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}-${p(now.getUTCMilliseconds(), 3)}`;
}

/**
 * Trains the default quick model on the workspace's current labels (held-out gold excerpts never
 * enter training) and registers it as a new model version: ONNX bytes, manifest, output → category
 * mapping. Outputs follow the ACTIVE categories in their sort order. Labels on retired categories
 * are skipped (the model cannot predict a category the taxonomy no longer offers).
 *
 * With 20 labels or more it also cross-fits (5 grouped folds, lib/model/cross-fit.ts): the out-of-fold
 * probabilities are stored with the version (model_out_of_fold, for label-error detection and the
 * reliability report), and the calibrator fitted on them ships in the manifest, with the default flag
 * threshold chosen on the calibrated out-of-fold scores. Training costs about k + 1 = 6 fits then.
 */
export async function trainModelVersion(options: TTrainModelVersionOptions): Promise<TTrainModelVersionResult> {
  const { workspaceId } = options;
  const pool = getPool();
  const { rows: categories } = await pool.query<{ id: number; name: string; is_non_toxic: boolean }>(
    `SELECT id, name, is_non_toxic FROM category WHERE workspace_id = $1 AND is_active ORDER BY sort_order, id`,
    [workspaceId],
  );
  if (categories.length < 2) {
    throw new AppError("VALIDATION", "Training needs at least two active categories (a non-toxic one and one toxic); add them in the taxonomy.");
  }
  const nonToxicIndex = categories.findIndex((c) => c.is_non_toxic);
  if (nonToxicIndex < 0) throw new AppError("VALIDATION", "Mark one active category as non-toxic before training.");
  const indexOfCategory = new Map(categories.map((c, i) => [c.id, i]));

  // The evaluation split (held-out imports + standing audit-slice labels) never enters training.
  const { rows: labelled, goldExcluded } = await selectTrainingLabels({ workspaceId });
  const texts: string[] = [];
  const labels: number[] = [];
  for (const row of labelled) {
    const index = indexOfCategory.get(row.current_category_id);
    if (index === undefined) continue;
    texts.push(row.text);
    labels.push(index);
  }
  const labelNames = categories.map((c) => c.name);
  const pseudo = lexiconPseudoExamples({ labels: labelNames, nonToxicIndex, realLabels: texts.length });
  if (texts.length === 0 && pseudo.texts.length === 0) {
    throw new AppError("VALIDATION", "There are no labels to train on yet: label a few excerpts (or import labelled data) first.");
  }

  const kept = labelled.filter((r) => indexOfCategory.has(r.current_category_id));
  const { trained, calibration, folds } = trainCalibratedLinear({
    texts,
    labels,
    classes: categories.length,
    nonToxicIndex,
    pseudo,
    keys: kept.map((r) => r.id),
    conversations: kept.map((r) => r.conversation_id),
  });
  const now = new Date();
  const version = versionName(now);
  const { onnx, manifest } = packageLinearModel(trained, {
    version,
    labels: labelNames,
    nonToxicIndex,
    dataset: `workspace ${workspaceId}: ${texts.length} labels (gold set excluded) at ${now.toISOString()}`,
    trainedAt: now,
    metrics: { validationMacroF1: trained.validationMacroF1 },
    calibration,
  });
  const trainingSet = {
    ...snapshotLabelSet(kept.map((r) => ({ excerptId: r.id, categoryId: r.current_category_id }))),
    goldExcluded,
  };
  const metrics = {
    validationMacroF1: trained.validationMacroF1,
    trainSeconds: trained.seconds,
    outOfFoldSeconds: trained.outOfFold?.seconds ?? null,
    examples: texts.length,
    trainingSet,
  };
  const oof = trained.outOfFold;

  const modelVersionId = await inTransaction(async (client) => {
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids, metrics, trained_by_id, promoted_at)
       VALUES ($1, $2, 'hashed-linear', 'candidate', $3, $4, $5, $6, $7, NULL)
       RETURNING id`,
      [
        workspaceId,
        version,
        JSON.stringify(manifest),
        Buffer.from(onnx.buffer, onnx.byteOffset, onnx.byteLength),
        categories.map((c) => c.id),
        JSON.stringify(metrics),
        options.trainedById ?? null,
      ],
    );
    const modelVersionId = rows[0].id;
    if (oof && folds) {
      const logProbs = Float32Array.from(oof.logProbs);
      await client.query(
        `INSERT INTO model_out_of_fold (model_version_id, workspace_id, excerpt_ids, category_ids, folds, log_probs) VALUES ($1, $2, $3::bigint[], $4::int[], $5::int[], $6)`,
        [
          modelVersionId,
          workspaceId,
          kept.map((r) => r.id),
          kept.map((r) => r.current_category_id),
          Array.from(folds),
          Buffer.from(logProbs.buffer, logProbs.byteOffset, logProbs.byteLength),
        ],
      );
    }
    // the one promotion path: it also applies the version's calibrated default threshold (activate-version.ts)
    if (options.activate) await activateVersion(client, { workspaceId, modelVersionId });
    return modelVersionId;
  });
  // Open items still point at the previous model's predictions; re-rank those the new model has
  // already scored (none yet, right after training: the scoring worker fills them in and ranks them).
  if (options.activate) await requeueWorkspace({ workspaceId });
  return { modelVersionId, version, examples: texts.length, calibrationMethod: calibration.method, hasOutOfFold: oof !== null };
}
