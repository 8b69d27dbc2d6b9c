import { isAuditSample, queuePriority } from "@/lib/ranking/rank.ts";
import { getPool } from "../db/pool.ts";

/**
 * Test data for the queue's integration tests: a workspace with a taxonomy, a model version, users,
 * and scored excerpts in conversations with their queue items ranked by lib/ranking, as the scoring
 * worker would leave them. Written with plain SQL so the tests depend on the schema, not on other code.
 */
export type TQueueFixture = {
  workspaceId: number;
  userIds: number[];
  /** index 0 is the non-toxic class, matching model output index 0 */
  categoryIds: number[];
  inactiveCategoryId: number;
  modelVersionId: number;
  excerptIds: string[];
};

export async function seedQueueFixture(opts: {
  excerpts: number;
  users: number;
  perConversation?: number;
  randomShare?: number;
  claimBatchSize?: number;
  slug?: string;
}): Promise<TQueueFixture> {
  const pool = getPool();
  const slug = opts.slug ?? "ws";
  const randomShare = opts.randomShare ?? 0.1;
  // The settings the priorities below are computed with (the ordering before margin + spacing became
  // the default), so the workspace says how its queue was ranked.
  const { rows: ws } = await pool.query<{ id: number }>(
    `INSERT INTO workspace (slug, name, random_share, claim_batch_size, rank_strategy, flagged_first, max_similarity)
     VALUES ($1, $1, $2, $3, 'least_confidence', true, NULL) RETURNING id`,
    [slug, randomShare, opts.claimBatchSize ?? 5],
  );
  const workspaceId = ws[0].id;
  const names = ["not toxic", "insult", "threat", "hate"];
  const categoryIds: number[] = [];
  for (const [i, name] of names.entries()) {
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO category (workspace_id, name, hotkey, sort_order, is_non_toxic) VALUES ($1, $2, $3, $3, $4) RETURNING id`,
      [workspaceId, name, i + 1, i === 0],
    );
    categoryIds.push(rows[0].id);
  }
  const { rows: inactive } = await pool.query<{ id: number }>(
    `INSERT INTO category (workspace_id, name, is_active) VALUES ($1, 'retired', false) RETURNING id`,
    [workspaceId],
  );
  const { rows: mv } = await pool.query<{ id: number }>(
    `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids)
     VALUES ($1, 'v-test', 'linear', 'active', '{}', '\\x00', $2) RETURNING id`,
    [workspaceId, categoryIds],
  );
  const modelVersionId = mv[0].id;
  await pool.query(`UPDATE workspace SET active_model_version_id = $2 WHERE id = $1`, [workspaceId, modelVersionId]);

  const userIds: number[] = [];
  for (let i = 0; i < opts.users; i++) {
    const { rows } = await pool.query<{ id: number }>(`INSERT INTO app_user (email, name, password_hash) VALUES ($1, $1, 'x') RETURNING id`, [
      `mod${i}@${slug}.test`,
    ]);
    userIds.push(rows[0].id);
  }

  const perConversation = opts.perConversation ?? 10;
  const t0 = Date.parse("2026-11-28T10:00:00Z");
  const { rows: ex } = await pool.query<{ id: string }>(
    `INSERT INTO excerpt (workspace_id, dedup_key, text, conversation_id, speaker_id, occurred_at)
     SELECT $1, 'k' || g, 'line ' || g, 'c' || (g / $3), 's' || (g % 3), to_timestamp($4 / 1000.0) + g * interval '1 second'
     FROM generate_series(0, $2 - 1) g ORDER BY g RETURNING id::text`,
    [workspaceId, opts.excerpts, perConversation, t0],
  );
  const excerptIds = ex.map((r) => r.id);

  // deterministic, varied probabilities over 4 outputs
  const probsOf = (i: number) => {
    const raw = [1 + (i % 7), 1 + ((i * 3) % 5), 1 + ((i * 5) % 3), 1 + (i % 2)];
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((x) => x / sum);
  };
  const rows = excerptIds.map((id, i) => {
    const probs = probsOf(i);
    const top = probs.indexOf(Math.max(...probs));
    const { priority, isFlagged } = queuePriority({
      probs,
      nonToxicIndex: 0,
      threshold: 0.5,
      strategy: "least_confidence",
      isFlaggedFirst: true,
      excerptId: id,
      occurredAtMs: t0 + i * 1000,
    });
    // a tiny per-row offset breaks ties, so tests can name the exact serving order
    return { id, probs, top, priority: priority + i * 1e-9, isFlagged, isAudit: isAuditSample(id, randomShare) };
  });
  await pool.query(
    `WITH p AS (
       INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
       SELECT x.id, $1, x.probs, 1 - x.probs[1], ($2::int[])[x.top + 1], x.probs[x.top + 1]
       FROM jsonb_to_recordset($3::jsonb) AS x(id bigint, probs real[], top int)
       RETURNING id, excerpt_id
     )
     INSERT INTO queue_item (excerpt_id, workspace_id, priority, is_audit, is_flagged, prediction_id)
     SELECT p.excerpt_id, $4, x.priority, x."isAudit", x."isFlagged", p.id
     FROM p JOIN jsonb_to_recordset($3::jsonb) AS x(id bigint, priority float8, "isAudit" boolean, "isFlagged" boolean) ON x.id = p.excerpt_id`,
    [modelVersionId, categoryIds, JSON.stringify(rows), workspaceId],
  );
  return { workspaceId, userIds, categoryIds, inactiveCategoryId: inactive[0].id, modelVersionId, excerptIds };
}
