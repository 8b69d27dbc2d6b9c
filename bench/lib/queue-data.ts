/**
 * The review-queue data the queue benchmarks run on (bench/queue.ts in-process, bench/http.ts over
 * HTTP): one workspace with five categories and an active model, `moderators` users, and `excerpts`
 * scored excerpts with predictions and queue items, generated in SQL by generate_series.
 */
import type pg from "pg";
import { packageLinearModel } from "../../lib/model/package-linear.ts";
import { trainHashedLinear } from "../../lib/model/train-linear.ts";

const PER_CONVERSATION = 20;
const LABELS = ["non-toxic", "insult", "profanity", "hate", "threat"];
// The generated excerpts' words (the SQL below picks one of each list by the row number g)
const WORDS = [
  ["you", "this", "that", "my", "your", "the", "what", "why", "lol", "bro"],
  ["team", "support", "jungler", "mid", "carry", "idiot", "noob", "player", "guy", "tank"],
  ["is", "was", "plays", "feeds", "throws", "sucks", "wins", "loses", "rocks", "needs"],
  ["again", "trash", "so bad", "gg", "well", "hard", "now", "pls", "omg", "tbh"],
];
const MULTIPLIERS = [7, 13, 31, 17];
/** Excerpt g's text in SQL, for a row number `g` (generate_series below): the same text as benchExcerptText(g). */
export const BENCH_EXCERPT_TEXT_SQL = `${WORDS.map((words, i) => `(ARRAY[${words.map((w) => `'${w}'`).join(",")}])[1 + (g * ${MULTIPLIERS[i]}) % 10]`).join(" || ' ' || ")} || ' #' || g`;

/** Excerpt g's text, as the SQL below writes it. */
export function benchExcerptText(g: number): string {
  return `${WORDS.map((words, i) => words[(g * MULTIPLIERS[i]) % 10]).join(" ")} #${g}`;
}

/**
 * A real model for the active version: the hashed-linear model the app trains (lib/model), fitted on a
 * few thousand of the generated lines labelled by rule. Its predictions are not the ones stored below
 * (those are drawn at random, for a spread of priorities), but every claim explains its cards with it,
 * as a moderator's claim does: word highlights cost one batched model run per claim
 * (server/queue/explain-cards.ts). Without it the claims measured skipped that work.
 */
function benchModel(): { manifest: unknown; onnx: Buffer } {
  const texts: string[] = [];
  const labels: number[] = [];
  for (let g = 1; g <= 3000; g++) {
    const text = benchExcerptText(g);
    texts.push(text);
    labels.push(/idiot|noob/.test(text) ? 1 : /trash|sucks/.test(text) ? 2 : /throws/.test(text) ? 3 : /needs/.test(text) ? 4 : 0);
  }
  return trainBenchModel({ texts, labels, labelNames: LABELS, nonToxicIndex: 0, version: "bench-1", dataset: "generated bench chat" });
}

/** The app's hashed-linear model fitted on a benchmark's generated lines: its manifest and ONNX bytes, ready for model_version. */
export function trainBenchModel(input: { texts: string[]; labels: number[]; labelNames: string[]; nonToxicIndex: number; version: string; dataset: string }): {
  manifest: unknown;
  onnx: Buffer;
} {
  const trained = trainHashedLinear({ texts: input.texts, labels: input.labels, classes: input.labelNames.length });
  const { onnx, manifest } = packageLinearModel(trained, {
    version: input.version,
    labels: input.labelNames,
    nonToxicIndex: input.nonToxicIndex,
    dataset: input.dataset,
  });
  return { manifest, onnx: Buffer.from(onnx.buffer, onnx.byteOffset, onnx.byteLength) };
}

export type TQueueData = { workspaceId: number; userIds: number[]; categoryIds: number[] };

/** Claimed cards, and how many came explained: the suggesting model ran over them for word highlights. */
export type TExplainedCount = { cards: number; explained: number };
export const countExplained = (count: TExplainedCount, cards: readonly { explanation?: unknown }[]) => {
  count.cards += cards.length;
  count.explained += cards.filter((card) => card.explanation).length;
};
export const explainedShare = (count: TExplainedCount) => (count.cards === 0 ? 0 : Math.round((count.explained / count.cards) * 1000) / 1000);
/** A benchmark's claims measured what a moderator's cost only if (nearly) every card was explained. */
export const isExplainedEnough = (count: TExplainedCount) => count.cards > 0 && count.explained >= 0.99 * count.cards;

export async function generateQueueData(client: pg.Client, { excerpts, moderators }: { excerpts: number; moderators: number }): Promise<TQueueData> {
  const { rows: ws } = await client.query<{ id: number }>(
    `INSERT INTO workspace (slug, name, random_share, claim_batch_size, lease_seconds) VALUES ('bench', 'Queue bench', 0.1, 5, 300) RETURNING id`,
  );
  const workspaceId = ws[0].id;
  const { rows: cats } = await client.query<{ id: number; name: string }>(
    `INSERT INTO category (workspace_id, name, hotkey, sort_order, is_non_toxic)
     SELECT $1, name, ord, ord, ord = 1 FROM unnest($2::text[]) WITH ORDINALITY AS t(name, ord)
     ORDER BY ord RETURNING id, name`,
    [workspaceId, LABELS],
  );
  // in LABELS' order, the model's
  const categoryIds = LABELS.map((label) => cats.find((c) => c.name === label)!.id);
  const model = benchModel();
  const { rows: mv } = await client.query<{ id: number }>(
    `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids)
     VALUES ($1, 'bench-1', 'hashed-linear', 'active', $2, $3, $4) RETURNING id`,
    [workspaceId, JSON.stringify(model.manifest), model.onnx, categoryIds],
  );
  await client.query(`UPDATE workspace SET active_model_version_id = $2 WHERE id = $1`, [workspaceId, mv[0].id]);
  const { rows: users } = await client.query<{ id: number }>(
    `INSERT INTO app_user (email, name, password_hash) SELECT 'mod' || g || '@bench.test', 'Mod ' || g, 'x' FROM generate_series(1, $1) g ORDER BY g RETURNING id`,
    [moderators],
  );
  // moderators of this workspace: the app's routes answer 404 to anyone who is not a member
  await client.query(`INSERT INTO workspace_member (workspace_id, user_id, role) SELECT $1, unnest($2::int[]), 'moderator'`, [
    workspaceId,
    users.map((u) => u.id),
  ]);

  // Bulk load without the secondary indexes, then rebuild them exactly as the migrations defined them:
  // a sorted index build is far faster than a million one-by-one inserts (the GIN text index above all).
  const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes
     WHERE schemaname = 'public' AND tablename IN ('excerpt', 'prediction', 'queue_item')
       AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
  );
  for (const ix of indexes) await client.query(`DROP INDEX "${ix.indexname}"`);

  await client.query(
    `INSERT INTO excerpt (workspace_id, dedup_key, external_id, text, source, game, channel, conversation_id, speaker_id, occurred_at)
     SELECT $1, 'b:' || g, 'b' || g,
       ${BENCH_EXCERPT_TEXT_SQL},
       (CASE WHEN g % 5 = 0 THEN 'voice' ELSE 'text' END)::"ExcerptSource",
       'dota2', 'ch-' || (g % 50), 'conv-' || (g / ${PER_CONVERSATION}), 'p' || (g % 997),
       timestamptz '2026-11-01' + g * interval '1 second'
     FROM generate_series(1, $2) g`,
    [workspaceId, excerpts],
  );
  // Five-way probabilities, skewed so that some excerpts are confidently clean, some confidently toxic.
  await client.query(
    `INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
     SELECT id, $1, probs, 1 - probs[1], ($2::int[])[top], probs[top]
     FROM (
       SELECT id, probs, (SELECT i FROM generate_subscripts(probs, 1) i ORDER BY probs[i] DESC LIMIT 1) AS top
       FROM (
         SELECT id, ARRAY[r0 / s, r1 / s, r2 / s, r3 / s, r4 / s]::real[] AS probs
         FROM (SELECT id, r0, r1, r2, r3, r4, r0 + r1 + r2 + r3 + r4 AS s
               FROM (SELECT id, 0.05 + random() * 3 AS r0, random()^2 AS r1, random()^3 AS r2, random()^3 AS r3, random()^4 AS r4
                     FROM excerpt WHERE workspace_id = $3) r) n
       ) p
     ) t`,
    [mv[0].id, categoryIds, workspaceId],
  );
  // Priorities as the scoring worker sets them (lib/ranking: least confidence, flagged ≥ 0.5 a unit
  // above the rest; the audit slice — 10% — in a random order of its own). Written in SQL here only
  // because a million rows through Node would dominate the set-up time.
  await client.query(
    `INSERT INTO queue_item (excerpt_id, workspace_id, priority, is_audit, is_flagged, prediction_id)
     SELECT excerpt_id, $1,
            CASE WHEN is_audit THEN random() ELSE (CASE WHEN toxic_score >= 0.5 THEN 2 ELSE 0 END) + 1 - confidence END,
            is_audit, toxic_score >= 0.5, id
     FROM (SELECT p.*, random() < 0.1 AS is_audit FROM prediction p) x`,
    [workspaceId],
  );
  await client.query(`SET maintenance_work_mem = '256MB'`);
  for (const ix of indexes) await client.query(ix.indexdef);
  return { workspaceId, userIds: users.map((u) => u.id), categoryIds };
}
