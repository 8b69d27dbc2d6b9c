import { AppError } from "@/lib/errors.ts";
import { requiredReviews } from "@/lib/ranking/rank.ts";
import { getPool } from "../db/pool.ts";
import { loadModelSession } from "./load-model-session.ts";
import { runModel } from "./predict-texts.ts";
import { RANK_SETTING_COLUMNS, liveRoute, predictionFacts, queueFields, rankSettingsOf, type TRankSettingRow } from "@/lib/ranking/queue-fields.ts";

export type TScorePendingExcerptsOptions = {
  workspaceId: number;
  /** excerpts per model run and per INSERT */
  batchSize?: number;
  /** batches per call; callers loop until `scored` is 0 (the worker hands long backlogs to fresh jobs) */
  maxBatches?: number;
};

export const SCORE_BATCH_SIZE = 2000;
export const SCORE_MAX_BATCHES = 10;

type TPendingRow = { id: string; text: string; occurred_ms: number; is_live: boolean };

/**
 * The next batch of the workspace's excerpts without a prediction from the model ($1 workspace, $2 model
 * version, $3 keyset cursor, $4 batch size). `model_version_id + 0` keeps the lookup on the
 * (excerpt_id, model_version_id) index, one probe per excerpt: statistics taken before a big import into
 * a new workspace say the workspace and its model have no rows, and the planner then probed
 * prediction(model_version_id) instead, reading every prediction of the version once per excerpt (7 s per
 * batch with 2,000 predictions stored, slower with each batch: 99 excerpts/s in the fault suite, a
 * 28,000-excerpt import not scored after 3 minutes; autoanalyze does not come for an import under 10% of the table).
 */
export const PENDING_EXCERPTS_SQL = `SELECT e.id::text AS id, e.text,
        (extract(epoch FROM coalesce(e.occurred_at, e.created_at)) * 1000)::float8 AS occurred_ms,
        e.api_key_id IS NOT NULL AS is_live
   FROM excerpt e
  WHERE e.workspace_id = $1 AND e.id > $3::bigint
    AND NOT EXISTS (SELECT 1 FROM prediction p WHERE p.excerpt_id = e.id AND p.model_version_id + 0 = $2)
  ORDER BY e.id
  LIMIT $4`;

/**
 * Scores the workspace's excerpts that have no prediction from the active model yet, batch by
 * batch: predict, then ONE statement per batch inserts the predictions and upserts the queue items
 * of unlabelled, not-held-out excerpts. One statement means a crash leaves either both or neither,
 * and "no prediction yet" is the whole resume state: a rerun picks up exactly what is missing.
 * ON CONFLICT DO NOTHING makes two concurrent scorers harmless; an existing lease is never touched
 * and a closed (decided) item is never reopened. Live lines (sent through the machine API) are queued
 * only when the workspace's routing settings say so (lib/ranking/route.ts), as the API's live store does.
 */
export async function scorePendingExcerpts(options: TScorePendingExcerptsOptions): Promise<{ scored: number }> {
  const { workspaceId } = options;
  const batchSize = Math.max(1, options.batchSize ?? SCORE_BATCH_SIZE);
  const maxBatches = Math.max(1, options.maxBatches ?? SCORE_MAX_BATCHES);
  const pool = getPool();
  const { rows: ws } = await pool.query<TRankSettingRow & { active_model_version_id: number | null; overlap_share: number }>(
    `SELECT w.active_model_version_id, w.overlap_share, ${RANK_SETTING_COLUMNS} FROM workspace w WHERE w.id = $1`,
    [workspaceId],
  );
  if (!ws[0]) throw new AppError("NOT_FOUND", `Workspace ${workspaceId} does not exist.`);
  const modelVersionId = ws[0].active_model_version_id;
  if (modelVersionId === null) return { scored: 0 };
  const model = await loadModelSession(modelVersionId);
  const nonToxicIndex = model.manifest.nonToxicIndex;
  const settings = rankSettingsOf(ws[0], nonToxicIndex);

  let scored = 0;
  let cursor = "0";
  for (let b = 0; b < maxBatches; b++) {
    // Keyset on id within a call, so each batch starts where the last one stopped.
    const { rows } = await pool.query<TPendingRow>(PENDING_EXCERPTS_SQL, [workspaceId, modelVersionId, cursor, batchSize]);
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1].id;
    const probs = await runModel(
      model,
      rows.map((r) => r.text),
    );

    const n = rows.length;
    // each row's probabilities as an array literal: slicing one flat array per row costs O(batch²) in SQL
    const probLiterals = new Array<string>(n);
    const top = new Array<number>(n);
    const conf = new Array<number>(n);
    const tox = new Array<number>(n);
    const prio = new Array<number>(n);
    const flagged = new Array<boolean>(n);
    const audit = new Array<boolean>(n);
    const queued = new Array<boolean>(n);
    // decided once, when the item enters the queue: a re-score keeps it (ON CONFLICT leaves it alone)
    const reviews = rows.map((r) => requiredReviews(r.id, ws[0].overlap_share));
    for (let i = 0; i < n; i++) {
      const p = probs[i];
      probLiterals[i] = `{${Array.prototype.join.call(p, ",")}}`;
      const facts = predictionFacts(p, nonToxicIndex);
      top[i] = model.categoryIds[facts.top];
      conf[i] = facts.confidence;
      tox[i] = facts.toxicScore;
      const q = queueFields(rows[i].id, p, rows[i].occurred_ms, settings, rows[i].is_live ? {} : undefined);
      queued[i] = !rows[i].is_live || liveRoute(rows[i].id, p, settings) !== null;
      prio[i] = q.priority;
      flagged[i] = q.isFlagged;
      audit[i] = q.isAudit;
    }
    await pool.query(
      `WITH input AS (
         SELECT u.excerpt_id, u.probs, u.toxic_score, u.suggested, u.confidence, u.priority, u.is_flagged, u.is_audit, u.is_queued
           FROM unnest($3::bigint[], $10::text[], $4::real[], $5::int[], $6::real[], $7::float8[], $8::bool[], $9::bool[], $12::bool[])
                AS u(excerpt_id, probs, toxic_score, suggested, confidence, priority, is_flagged, is_audit, is_queued)
       ), ins AS (
         INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
         SELECT i.excerpt_id, $2, i.probs::real[], i.toxic_score, i.suggested, i.confidence
           FROM input i
         ON CONFLICT (excerpt_id, model_version_id) DO NOTHING
         RETURNING id, excerpt_id
       )
       INSERT INTO queue_item (excerpt_id, workspace_id, priority, is_audit, is_flagged, prediction_id, required_reviews, updated_at)
       SELECT ins.excerpt_id, $1, i.priority, i.is_audit, i.is_flagged, ins.id, r.required_reviews, now()
         FROM ins
         JOIN input i ON i.excerpt_id = ins.excerpt_id
         JOIN unnest($3::bigint[], $11::int[]) AS r(excerpt_id, required_reviews) ON r.excerpt_id = ins.excerpt_id
         JOIN excerpt e ON e.id = ins.excerpt_id
        WHERE e.current_category_id IS NULL AND NOT e.held_out AND i.is_queued
       ON CONFLICT (excerpt_id) DO UPDATE
         SET priority = EXCLUDED.priority, is_audit = EXCLUDED.is_audit, is_flagged = EXCLUDED.is_flagged,
             prediction_id = EXCLUDED.prediction_id, updated_at = now()
         WHERE queue_item.is_open`,
      [workspaceId, modelVersionId, rows.map((r) => r.id), tox, top, conf, prio, flagged, audit, probLiterals, reviews, queued],
    );
    scored += n;
    if (n < batchSize) break;
  }
  return { scored };
}
