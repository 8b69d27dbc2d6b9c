import { getPool } from "../db/pool.ts";
import { loadModelSession } from "../model/load-model-session.ts";
import { runModel } from "../model/predict-texts.ts";
import { predictionFacts } from "@/lib/ranking/queue-fields.ts";

const SHADOW_BATCH_SIZE = 2000;

/**
 * Writes predictions of the workspace's shadow versions, batch by batch, for excerpts the ACTIVE
 * version has already scored (so a shadow never runs ahead of what serves, and a later promotion
 * finds every excerpt it scored already queued by the active model). Predictions only: a shadow
 * never touches the queue. Resumable like the active scorer: "no prediction yet" is the state.
 */
export async function scoreShadowExcerpts(options: { workspaceId: number; batchSize?: number; maxBatches?: number }): Promise<{ scored: number }> {
  const { workspaceId } = options;
  const batchSize = Math.max(1, options.batchSize ?? SHADOW_BATCH_SIZE);
  let batchesLeft = Math.max(1, options.maxBatches ?? 10);
  const pool = getPool();
  const { rows: shadows } = await pool.query<{ id: number; active_id: number | null }>(
    `SELECT m.id, w.active_model_version_id AS active_id FROM model_version m JOIN workspace w ON w.id = m.workspace_id
      WHERE m.workspace_id = $1 AND m.status = 'shadow' ORDER BY m.id`,
    [workspaceId],
  );
  let scored = 0;
  for (const shadow of shadows) {
    if (shadow.active_id === null) break;
    const model = await loadModelSession(shadow.id);
    const classes = model.manifest.labels.length;
    while (batchesLeft > 0) {
      batchesLeft--;
      const { rows } = await pool.query<{ id: string; text: string }>(
        `SELECT e.id::text AS id, e.text FROM excerpt e
          WHERE e.workspace_id = $1
            -- "+ 0": looked up by excerpt, never by version (PENDING_EXCERPTS_SQL says why)
            AND EXISTS (SELECT 1 FROM prediction a WHERE a.excerpt_id = e.id AND a.model_version_id + 0 = $3)
            AND NOT EXISTS (SELECT 1 FROM prediction p WHERE p.excerpt_id = e.id AND p.model_version_id + 0 = $2)
          ORDER BY e.id LIMIT $4`,
        [workspaceId, shadow.id, shadow.active_id, batchSize],
      );
      if (rows.length === 0) break;
      const probs = await runModel(
        model,
        rows.map((r) => r.text),
      );
      const flat: number[] = [];
      const facts = probs.map((p) => {
        for (let k = 0; k < classes; k++) flat.push(p[k]);
        return predictionFacts(p, model.manifest.nonToxicIndex);
      });
      await pool.query(
        `INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
         SELECT u.excerpt_id, $1, ($6::real[])[(u.ord - 1) * $7 + 1 : u.ord * $7], u.toxic_score, u.suggested, u.confidence
           FROM unnest($2::bigint[], $3::real[], $4::int[], $5::real[]) WITH ORDINALITY AS u(excerpt_id, toxic_score, suggested, confidence, ord)
         ON CONFLICT (excerpt_id, model_version_id) DO NOTHING`,
        [
          shadow.id,
          rows.map((r) => r.id),
          facts.map((f) => f.toxicScore),
          facts.map((f) => model.categoryIds[f.top]),
          facts.map((f) => f.confidence),
          flat,
          classes,
        ],
      );
      scored += rows.length;
      if (rows.length < batchSize) break;
    }
  }
  return { scored };
}
