import { lockForTransaction } from "../db/advisory-lock.ts";
import { AppError } from "@/lib/errors.ts";
import type { TQueueCard } from "@/lib/queue/types.ts";
import { auditSlots } from "@/lib/ranking/rank.ts";
import type pg from "pg";
import { getPool } from "../db/pool.ts";
import { inTransaction } from "../db/transaction.ts";
import { getQueueSettings, type TQueueSettings } from "./get-queue-settings.ts";
import { explainCards } from "./explain-cards.ts";
import { cardsSql, toCard, type TCardRow } from "./queue-cards.ts";

export type TClaimItemsOptions = {
  workspaceId: number;
  userId: number;
  limit?: number;
  /**
   * The workspace's batch size and random share when the caller already has them: the route wrapper read
   * them with the session, in the same statement, so a claim over HTTP is that statement and the claim's.
   * Without them (scripts, benchmarks, tests) they come from a few-second cache (get-queue-settings.ts).
   */
  settings?: Pick<TQueueSettings, "claimBatchSize" | "randomShare">;
  /**
   * Waits for this moderator's other claims in the workspace to finish first (the queue page's claim while
   * it renders). Claims that run at the same time each count the held items before the others' leases
   * commit, so a reload pressed ten times, whose renders all run to the end, leased ten batches. The claim
   * route stays one statement: the browser sends one claim at a time.
   */
  isOneAtATime?: boolean;
};

const MAX_LIMIT = 50;

// One statement: re-serve this user's live leases, lock and lease new rows from both pools, and build
// the cards. Each pool walks queue_item_claim_idx (workspace_id, is_audit, priority DESC) WHERE is_open
// top-down; SKIP LOCKED passes over rows another claimer is locking right now, and the lease filter is
// re-checked on the newest row version after locking (READ COMMITTED re-evaluation), so a row leased by
// a claimer that committed after our snapshot is skipped rather than taken twice.
const pickSql = (isAudit: boolean, limitParam: string) => `
  SELECT excerpt_id FROM queue_item
  WHERE workspace_id = $1 AND is_audit = ${isAudit} AND is_open
    AND (leased_by_id IS NULL OR lease_expires_at <= now())
    AND NOT ($2 = ANY (coalesce(skipped_by, '{}')))
    AND NOT ($2 = ANY (coalesce(labelled_by, '{}')))
  ORDER BY priority DESC
  LIMIT ${limitParam}
  FOR UPDATE SKIP LOCKED`;

// A lease is not worth an fsync: if the server crashes before the lease reaches disk, the item is simply
// unleased again, and a decision the moderator still sends for it is stored anyway (flagged as a late
// conflict). So the claim commits with synchronous_commit off, set for this statement's own implicit
// transaction (set_config(..., true)); decisions keep the default and are durable when acknowledged.
export const CLAIM_SQL = cardsSql(`
WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS v),
held AS (
  -- queue_claim says where this user's live leases may be; queue_item says whether they still are
  SELECT excerpt_id, lease_expires_at, is_audit, is_flagged, prediction_id, priority
  FROM queue_item
  WHERE $5::boolean
    AND excerpt_id IN (SELECT c.excerpt_id FROM queue_claim c WHERE c.user_id = $2 AND c.lease_expires_at > now() AND c.workspace_id = $1)
    AND leased_by_id = $2 AND workspace_id = $1 AND is_open AND lease_expires_at > now()
),
-- a reload resumes: the items already held count against the batch (ranked slots first, then audit ones),
-- so reloading the page never piles more leases onto the same moderator
held_n AS (SELECT count(*)::int AS n FROM held),
audit_pick AS (${pickSql(true, "greatest(0, $3::int - greatest(0, (SELECT n FROM held_n) - $4::int))")}),
ranked_pick AS (${pickSql(false, "greatest(0, $4::int - (SELECT n FROM held_n))")}),
claimed AS (
  UPDATE queue_item q
  SET leased_by_id = $2,
      lease_expires_at = now() + make_interval(secs => (SELECT lease_seconds FROM workspace WHERE id = $1)),
      updated_at = now()
  -- "= ANY (ARRAY(…))", not a join to the picks: the picks' LIMITs are expressions the planner cannot read,
  -- so it guessed ~10% of the queue and merge-joined the picks against a full walk of queue_item's primary
  -- key (900k rows at 1M excerpts, 10M at 10M: most of a 380 ms claim); with the guess carried into the card
  -- joins it also hash-joined all of excerpt and prediction (24 s per claim on the 1M HTTP bench database).
  -- An array of unknown length is estimated at 10 elements: an index lookup per item (claim-plan.test.ts).
  WHERE q.excerpt_id = ANY (ARRAY(SELECT excerpt_id FROM audit_pick UNION ALL SELECT excerpt_id FROM ranked_pick))
    AND (SELECT v FROM async_commit) IS NOT NULL
  RETURNING q.excerpt_id, q.lease_expires_at, q.is_audit, q.is_flagged, q.prediction_id, q.priority
),
logged AS (
  INSERT INTO queue_claim (workspace_id, user_id, excerpt_id, lease_expires_at)
  SELECT $1, $2, excerpt_id, lease_expires_at FROM claimed
),
items AS (
  SELECT excerpt_id, lease_expires_at, is_audit, is_flagged, prediction_id,
         is_held, row_number() OVER (ORDER BY is_held DESC, lease_expires_at, priority DESC)::int AS ord
  FROM (SELECT *, true AS is_held FROM held UNION ALL SELECT *, false AS is_held FROM claimed) u
)`);

/**
 * Serves the review queue to one moderator. First the open items this user already holds on an
 * unexpired lease (a page reload loses nothing and claims nothing more), then newly leased items up to
 * `limit` in all (held ones included): the audit
 * slice gets `auditSlots()` of them, the ranked pool the rest, each filling in for the other when it
 * runs dry. Items this user skipped, or already labelled (an overlap item waiting for its second
 * moderator), are never served back to them.
 */
export async function claimItems({ workspaceId, userId, limit, settings: given, isOneAtATime }: TClaimItemsOptions): Promise<TQueueCard[]> {
  const settings = given ?? (await getQueueSettings({ workspaceId }));
  const wanted = limit ?? settings.claimBatchSize;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > MAX_LIMIT) {
    throw new AppError("VALIDATION", `limit must be a whole number from 0 to ${MAX_LIMIT}, got ${limit}.`);
  }
  const audit = auditSlots(wanted, settings.randomShare);
  if (!isOneAtATime) return explainCards(await claimOn(getPool(), { workspaceId, userId, wanted, audit }));
  const cards = await inTransaction(async (client) => {
    // the claim's own statement then starts after the previous claim committed, and counts its leases as held
    await lockForTransaction(client, `modloop.claim:${workspaceId}:${userId}`);
    return claimOn(client, { workspaceId, userId, wanted, audit });
  });
  // after the commit: highlighting may load the model version on another connection, which on the embedded
  // database waits for this transaction's session (a deadlock there), and runs the model for tens of ms
  // that no lock needs to be held for
  return explainCards(cards);
}

async function claimOn(
  pool: Pick<pg.Pool, "query">,
  { workspaceId, userId, wanted, audit }: { workspaceId: number; userId: number; wanted: number; audit: number },
): Promise<TQueueCard[]> {
  // named: each pooled connection parses and plans the statement once, not on every claim
  const first = await pool.query<TCardRow>({ name: "queue-claim", text: CLAIM_SQL, values: [workspaceId, userId, audit, wanted - audit, true] });
  const held = first.rows.filter((r) => r.is_held);
  let fresh = first.rows.filter((r) => !r.is_held);
  // what the statement asked each pool for, once the held items were counted (as in the SQL)
  const askedRanked = Math.max(0, wanted - audit - held.length);
  const askedAudit = Math.max(0, audit - Math.max(0, held.length - (wanted - audit)));

  // A pool that ran dry is made up from the other one; a second round trip only near the queue's end.
  const gotAudit = fresh.filter((r) => r.is_audit).length;
  const gotRanked = fresh.length - gotAudit;
  const isAuditDry = gotAudit < askedAudit;
  const isRankedDry = gotRanked < askedRanked;
  const extraAudit = isRankedDry && !isAuditDry ? askedRanked - gotRanked : 0;
  const extraRanked = isAuditDry && !isRankedDry ? askedAudit - gotAudit : 0;
  if (extraAudit > 0 || extraRanked > 0) {
    const second = await pool.query<TCardRow>({ name: "queue-claim", text: CLAIM_SQL, values: [workspaceId, userId, extraAudit, extraRanked, false] });
    fresh = fresh.concat(second.rows);
  }
  return [...held, ...mixAudit(fresh)].map(toCard);
}

// Audit items go at random positions among the ranked ones, so their place in the batch gives
// nothing away and an unfinished batch does not systematically leave the audit items undecided.
function mixAudit(rows: TCardRow[]): TCardRow[] {
  const ranked = rows.filter((r) => !r.is_audit).sort((a, b) => a.ord - b.ord);
  for (const row of rows.filter((r) => r.is_audit)) ranked.splice(Math.floor(Math.random() * (ranked.length + 1)), 0, row);
  return ranked;
}
