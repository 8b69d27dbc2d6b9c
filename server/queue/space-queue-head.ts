import { AppError } from "@/lib/errors.ts";
import { DEFAULT_FEATURIZER, HashedNgramFeaturizer } from "@/lib/model/featurize.ts";
import { basePriority, DEMOTED_OFFSET, diversify } from "@/lib/ranking/diversify.ts";
import { UNCERTAINTY_STRATEGIES, type TRankStrategy } from "@/lib/ranking/rank.ts";
import { getPool } from "../db/pool.ts";
import { compareIds } from "@/lib/ids/compare-ids.ts";

export type TSpaceQueueHeadOptions = {
  workspaceId: number;
  /** how many of the best-ranked open items are looked at; moderators label far fewer between two runs */
  headSize?: number;
};

export type TSpaceQueueHeadResult = {
  /** open ranked items looked at */
  examined: number;
  /** of those, near-duplicates of a better-ranked one, now served after the rest */
  demoted: number;
  /** rows whose priority this call changed (0 on a second call with nothing new) */
  changed: number;
};

export const QUEUE_HEAD_SIZE = 1000;

type THeadRow = { excerpt_id: string; priority: number };

/**
 * Near-duplicate spacing of the head of the review queue. Uncertainty sampling alone fills a round of
 * labelling with look-alikes (the same copypasta, one raid's spam, an insult in ten spellings): the
 * model is unsure about all of them for the same reason, the first label answers the rest, and the
 * moderators' time goes on copies. So among the workspace's best-ranked open items, one that is at
 * least `max_similarity` alike (cosine over the default featurizer's hashed n-grams, whatever model is
 * active) to a better-ranked kept item is demoted by DEMOTED_OFFSET: it waits behind every kept item,
 * in its own order, and the next model, trained with its twin's label, decides whether it still
 * deserves a look. Margin + spacing at 0.7 was chosen on validation data (bench/active-learning-tune.ts,
 * results in bench/results/active-learning-tuning.json); lib/ranking/diversify.ts is the pure part the
 * benchmark simulated.
 *
 * Runs after anything that writes ranked priorities (scoring, requeue): they write each item's ranked
 * ("base") priority, and this pass demotes what it must and restores what no longer has a kept twin in
 * the head (say the twin was labelled). Only rows whose priority changes are written, so a second call
 * changes nothing; leases are never touched, and a row whose priority moved since it was read (a
 * concurrent re-score) is left for the next pass rather than overwritten. A no-op when spacing is off
 * (max_similarity NULL) or the strategy is not an uncertainty one: requeue then writes ranked priorities
 * for every item, and "oldest" priorities are negative, which would read as demoted here.
 */
export async function spaceQueueHead(options: TSpaceQueueHeadOptions): Promise<TSpaceQueueHeadResult> {
  const { workspaceId } = options;
  const headSize = Math.max(1, options.headSize ?? QUEUE_HEAD_SIZE);
  const none = { examined: 0, demoted: 0, changed: 0 };
  const pool = getPool();
  const { rows: ws } = await pool.query<{ rank_strategy: TRankStrategy; max_similarity: number | null }>(
    `SELECT rank_strategy, max_similarity FROM workspace WHERE id = $1`,
    [workspaceId],
  );
  if (!ws[0]) throw new AppError("NOT_FOUND", `Workspace ${workspaceId} does not exist.`);
  const { rank_strategy: strategy, max_similarity: maxSimilarity } = ws[0];
  if (maxSimilarity === null || !(UNCERTAINTY_STRATEGIES as readonly string[]).includes(strategy)) return none;

  // The head by ranked priority, from two walks of queue_item_claim_idx (workspace_id, is_audit,
  // priority DESC) WHERE is_open: kept items (ranked priority as is, ≥ 0) and demoted ones (ranked
  // priority − DEMOTED_OFFSET, in [−DEMOTED_OFFSET, 0)). A demoted item may belong in the head again.
  const head = (range: string) =>
    pool.query<THeadRow>(
      `SELECT excerpt_id::text, priority FROM queue_item
        WHERE workspace_id = $1 AND is_audit = false AND is_open AND ${range}
        ORDER BY priority DESC LIMIT $2`,
      [workspaceId, headSize],
    );
  const [kept, demoted] = await Promise.all([head("priority >= 0"), head(`priority < 0 AND priority >= ${-DEMOTED_OFFSET}`)]);
  const rows = [...kept.rows, ...demoted.rows]
    .map((r) => ({ ...r, base: basePriority(r.priority) }))
    .sort((a, b) => b.base - a.base || compareIds(a.excerpt_id, b.excerpt_id))
    .slice(0, headSize);
  if (rows.length === 0) return none;
  // texts by primary key, for the head only (joined into the queries above, the planner was seen to
  // hash-join a sequential scan of every excerpt)
  const { rows: texts } = await pool.query<{ id: string; text: string }>(`SELECT id::text, text FROM excerpt WHERE id = ANY ($1::bigint[])`, [
    rows.map((r) => r.excerpt_id),
  ]);
  const textOf = new Map(texts.map((t) => [t.id, t.text]));

  const features = new HashedNgramFeaturizer(DEFAULT_FEATURIZER).featurizeRows(rows.map((r) => textOf.get(r.excerpt_id) ?? ""));
  const spaced = diversify(
    rows.map((_, i) => i),
    features,
    maxSimilarity,
  );
  const isDemoted = new Uint8Array(rows.length);
  for (const i of spaced.demoted) isDemoted[i] = 1;

  // Only a flip between kept and demoted moves a priority, by exactly ±DEMOTED_OFFSET: recomputing
  // base − offset from the stored value could differ in the last bit and rewrite rows on every pass.
  const ids: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  rows.forEach((r, i) => {
    const isNowDemoted = r.priority < 0;
    if (isNowDemoted === Boolean(isDemoted[i])) return;
    ids.push(r.excerpt_id);
    from.push(r.priority);
    to.push(isNowDemoted ? r.priority + DEMOTED_OFFSET : r.priority - DEMOTED_OFFSET);
  });
  let changed = 0;
  if (ids.length > 0) {
    const { rowCount } = await pool.query(
      `UPDATE queue_item q SET priority = u.priority, updated_at = now()
         FROM unnest($2::bigint[], $3::float8[], $4::float8[]) AS u(excerpt_id, was, priority)
        WHERE q.excerpt_id = u.excerpt_id AND q.workspace_id = $1 AND q.is_open AND q.priority = u.was`,
      [workspaceId, ids, from, to],
    );
    changed = rowCount ?? 0;
  }
  return { examined: rows.length, demoted: spaced.demoted.length, changed };
}
