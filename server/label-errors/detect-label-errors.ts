import { calibrateLogProbs } from "@/lib/calibration/calibrator.ts";
import { normaliseText } from "@/lib/export/normalise.ts";
import { DEFAULT_RANK_BY, findLabelIssues } from "@/lib/label-errors/confident-learning.ts";
import { deriveLabel, SENIOR_ORIGINS, type TDecisionFact } from "@/lib/labels/derive-label.ts";
import { parseManifest } from "@/lib/model/manifest.ts";
import { getPool } from "../db/pool.ts";
import { inTransaction } from "../db/transaction.ts";

export type TDetectLabelErrorsResult = {
  modelVersionId: number;
  /** training labels the out-of-fold probabilities covered */
  examined: number;
  /** confident learning's label issues */
  flagged: number;
  /** open in the re-review queue after this run (new or refreshed) */
  queued: number;
  /** open suspects of earlier runs this run no longer flags */
  superseded: number;
  /** flagged but left out: a senior already settled the label, or it changed since training */
  skippedSettled: number;
  skippedChanged: number;
  /** why nothing was examined (too few labels to cross-fit, or not a trained version) */
  reason: string | null;
};

/** The re-review queue keeps the most likely errors of a run; a team re-reviews far fewer in a week. */
export const MAX_SUSPECTS_PER_RUN = 2000;
/** Near-duplicates shown as evidence per suspect. */
export const MAX_PEERS = 20;

type TOofRow = { workspace_id: number; excerpt_ids: string[]; category_ids: number[]; log_probs: Buffer; manifest: unknown; model_category_ids: number[] };

/**
 * Label-error detection after a training run (issue 16): confident learning (lib/label-errors) over
 * the version's calibrated out-of-fold probabilities ranks the training labels that are likely wrong,
 * and the most likely ones go to the re-review queue (label_suspect) with their evidence: the label
 * and the decision (and moderator) that gave it, the out-of-fold distribution, and the other training
 * excerpts with the same normalised text.
 *
 * Left out: labels a senior already settled (adjudication or re-review: the senior's word is not second-
 * guessed by the model), and labels that changed since the run read them. Earlier open suspects this
 * run no longer flags are marked superseded; one it flags again is refreshed in place (one open row
 * per excerpt, its lease kept). Idempotent: rerunning for the same version changes nothing more.
 */
export async function detectLabelErrors({ modelVersionId }: { modelVersionId: number }): Promise<TDetectLabelErrorsResult> {
  const pool = getPool();
  const { rows } = await pool.query<TOofRow>(
    `SELECT o.workspace_id, o.excerpt_ids::text[] AS excerpt_ids, o.category_ids, o.log_probs, mv.manifest, mv.category_ids AS model_category_ids
       FROM model_out_of_fold o JOIN model_version mv ON mv.id = o.model_version_id
      WHERE o.model_version_id = $1`,
    [modelVersionId],
  );
  const empty = { modelVersionId, examined: 0, flagged: 0, queued: 0, superseded: 0, skippedSettled: 0, skippedChanged: 0 };
  const oof = rows[0];
  if (!oof) return { ...empty, reason: "no out-of-fold probabilities for this version (fewer than 20 training labels, or not trained in the app)" };

  const K = oof.model_category_ids.length;
  const n = oof.excerpt_ids.length;
  const raw = new Float32Array(oof.log_probs.buffer.slice(oof.log_probs.byteOffset, oof.log_probs.byteOffset + oof.log_probs.byteLength));
  if (raw.length !== n * K) throw new Error(`out-of-fold probabilities of version ${modelVersionId} hold ${raw.length} numbers, expected ${n} × ${K}`);
  const manifest = parseManifest(oof.manifest);
  const probs = calibrateLogProbs(manifest.calibration ?? { method: "none" }, raw, K);
  const indexOf = new Map(oof.model_category_ids.map((id, i) => [id, i]));
  const labels = Int32Array.from(oof.category_ids, (id) => indexOf.get(id) ?? -1);
  if (labels.some((y) => y < 0)) throw new Error(`version ${modelVersionId} was trained on a category it has no output for`);
  const found = findLabelIssues({ probs, classes: K, labels, rankBy: DEFAULT_RANK_BY });

  // The current state of the flagged excerpts: their label now, and every decision (who gave it, how).
  const flaggedIds = Array.from(found.issues, (i) => oof.excerpt_ids[i]);
  const { rows: state } = await pool.query<{ id: string; current_category_id: number | null; text: string }>(
    `SELECT id::text AS id, current_category_id, text FROM excerpt WHERE id = ANY ($1::bigint[])`,
    [flaggedIds],
  );
  const stateById = new Map(state.map((r) => [r.id, r]));
  const { rows: decisionRows } = await pool.query<{
    id: string;
    excerpt_id: string;
    kind: TDecisionFact["kind"];
    category_id: number | null;
    reverses_id: string | null;
    user_id: number;
    created_at: Date;
    origin: string;
  }>(
    `SELECT id::text AS id, excerpt_id::text AS excerpt_id, kind::text AS kind, category_id, reverses_id::text AS reverses_id, user_id, created_at, origin::text AS origin
       FROM decision WHERE excerpt_id = ANY ($1::bigint[])`,
    [flaggedIds],
  );
  const decisionsByExcerpt = new Map<string, TDecisionFact[]>();
  for (const d of decisionRows) {
    const list = decisionsByExcerpt.get(d.excerpt_id) ?? [];
    list.push({ id: d.id, kind: d.kind, categoryId: d.category_id, reversesId: d.reverses_id, userId: d.user_id, createdAt: d.created_at, origin: d.origin });
    decisionsByExcerpt.set(d.excerpt_id, list);
  }

  type TSuspect = { index: number; excerptId: string; labelDecisionId: string | null; labelledById: number | null };
  const suspects: TSuspect[] = [];
  let skippedSettled = 0;
  let skippedChanged = 0;
  for (const i of found.issues) {
    const excerptId = oof.excerpt_ids[i];
    const now = stateById.get(excerptId);
    if (!now || now.current_category_id !== oof.category_ids[i]) {
      skippedChanged++;
      continue;
    }
    const decisions = decisionsByExcerpt.get(excerptId) ?? [];
    const derived = deriveLabel(decisions);
    const labelDecision = decisions.find((d) => String(d.id) === derived.labelDecisionId);
    if (labelDecision?.origin !== undefined && SENIOR_ORIGINS.has(labelDecision.origin)) {
      skippedSettled++;
      continue;
    }
    if (suspects.length < MAX_SUSPECTS_PER_RUN)
      suspects.push({ index: i, excerptId, labelDecisionId: derived.labelDecisionId, labelledById: derived.labelledByUserId });
  }

  // Near-duplicates among the training excerpts: the same normalised text (the split/fold grouping's rule).
  const peersOf = new Map<string, string[]>();
  if (suspects.length > 0) {
    const { rows: texts } = await pool.query<{ id: string; text: string }>(`SELECT id::text AS id, text FROM excerpt WHERE id = ANY ($1::bigint[])`, [
      oof.excerpt_ids,
    ]);
    const byText = new Map<string, string[]>();
    for (const r of texts) {
      const key = normaliseText(r.text);
      const list = byText.get(key) ?? [];
      list.push(r.id);
      byText.set(key, list);
    }
    for (const s of suspects) {
      const same = byText.get(normaliseText(stateById.get(s.excerptId)!.text)) ?? [];
      peersOf.set(s.excerptId, same.filter((id) => id !== s.excerptId).slice(0, MAX_PEERS));
    }
  }

  const outputs = (i: number) => `{${Array.from(probs.subarray(i * K, (i + 1) * K)).join(",")}}`;
  const { queued, superseded } = await inTransaction(async (client) => {
    const gone = await client.query(
      `UPDATE label_suspect SET status = 'superseded', leased_by_id = NULL, lease_expires_at = NULL
        WHERE workspace_id = $1 AND status = 'open' AND NOT (excerpt_id = ANY ($2::bigint[]))`,
      [oof.workspace_id, suspects.map((s) => s.excerptId)],
    );
    if (suspects.length === 0) return { queued: 0, superseded: gone.rowCount ?? 0 };
    const written = await client.query(
      `INSERT INTO label_suspect (workspace_id, excerpt_id, model_version_id, category_id, label_decision_id, labelled_by_id,
                                  suggested_category_id, probs, quality, peer_excerpt_ids)
       SELECT $1, u.excerpt_id, $2, u.category_id, u.label_decision_id, u.labelled_by_id, u.suggested, u.probs::real[], u.quality, u.peers::bigint[]
         FROM unnest($3::bigint[], $4::int[], $5::bigint[], $6::int[], $7::int[], $8::text[], $9::real[], $10::text[])
              AS u(excerpt_id, category_id, label_decision_id, labelled_by_id, suggested, probs, quality, peers)
       ON CONFLICT (excerpt_id) WHERE status = 'open' DO UPDATE
         SET model_version_id = EXCLUDED.model_version_id, category_id = EXCLUDED.category_id,
             label_decision_id = EXCLUDED.label_decision_id, labelled_by_id = EXCLUDED.labelled_by_id,
             suggested_category_id = EXCLUDED.suggested_category_id, probs = EXCLUDED.probs,
             quality = EXCLUDED.quality, peer_excerpt_ids = EXCLUDED.peer_excerpt_ids`,
      [
        oof.workspace_id,
        modelVersionId,
        suspects.map((s) => s.excerptId),
        suspects.map((s) => oof.category_ids[s.index]),
        suspects.map((s) => s.labelDecisionId),
        suspects.map((s) => s.labelledById),
        suspects.map((s) => oof.model_category_ids[found.likelyLabels[s.index]]),
        suspects.map((s) => outputs(s.index)),
        suspects.map((s) => found.quality[s.index]),
        suspects.map((s) => `{${(peersOf.get(s.excerptId) ?? []).join(",")}}`),
      ],
    );
    return { queued: written.rowCount ?? 0, superseded: gone.rowCount ?? 0 };
  });
  return { modelVersionId, examined: n, flagged: found.issues.length, queued, superseded, skippedSettled, skippedChanged, reason: null };
}
