import { AppError } from "@/lib/errors.ts";
import type { TQueueCard } from "@/lib/queue/types.ts";
import { inTransaction } from "../db/transaction.ts";
import { derivedLabelUpdate, lockExcerptForDecision } from "./lock-excerpt-for-decision.ts";
import { explainCards } from "./explain-cards.ts";
import { cardsSql, toCard, type TCardRow } from "./queue-cards.ts";

export type TUndoLastDecisionOptions = { workspaceId: number; userId: number };

// Walks this user's decisions newest first (decision(user_id, created_at); 'workspace_id + 0' keeps the
// planner off decision(workspace_id, created_at), which it chose when the statistics predated the
// workspace's decisions and then walked every decision of the workspace) and probes each one's reversal
// by reverses_id. OFFSET 0 keeps that probe a correlated subplan: as an anti join, with statistics from
// when reversals were rare (estimate: 1 row), the planner materialised every reversal in the table and
// compared each candidate against all of them — 3–9 s per undo once the fault suite's 100,000 histories
// had stored ~10,000 reversals, slower with each one. The subplan runs for the few decisions walked.
export const LAST_SQL = `
SELECT d.id::text AS id, d.excerpt_id::text AS excerpt_id, d.kind::text AS kind
FROM decision d
WHERE d.user_id = $2 AND d.workspace_id + 0 = $1 AND d.origin = 'queue' AND d.kind IN ('label', 'skip')
  AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.reverses_id = d.id AND r.excerpt_id = d.excerpt_id AND r.kind = 'reversal' OFFSET 0)
ORDER BY d.created_at DESC, d.id DESC
LIMIT 1`;

const CARD_SQL = cardsSql(`
WITH items AS (
  SELECT excerpt_id, lease_expires_at, is_audit, is_flagged, prediction_id, false AS is_held, 1 AS ord
  FROM queue_item WHERE excerpt_id = $1
)`);

const MAX_ATTEMPTS = 3;

/**
 * Undoes this moderator's latest queue decision (label or skip) that is not yet reversed: appends a
 * reversal (nothing is deleted), re-derives the excerpt's label, reopens the queue item and leases it
 * back to the same moderator, and returns its card so the UI shows it again. Null when there is
 * nothing left to undo. Refused (CONFLICT) when another moderator holds the item now: taking it from
 * them would put one item in front of two people.
 */
export async function undoLastDecision({ workspaceId, userId }: TUndoLastDecisionOptions): Promise<{ reversedDecisionId: string; card: TQueueCard } | null> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const result = await inTransaction(async (client) => {
      const { rows: lastRows } = await client.query<{ id: string; excerpt_id: string; kind: "label" | "skip" }>(LAST_SQL, [workspaceId, userId]);
      const last = lastRows[0];
      if (!last) return { outcome: "nothing" as const };

      // the decisions are read after the lock: a concurrent undo (a second tab) may have reversed it meanwhile
      const locked = await lockExcerptForDecision(client, { workspaceId, excerptId: last.excerpt_id });
      if (locked.decisions.some((f) => f.kind === "reversal" && String(f.reversesId) === last.id)) return { outcome: "raced" as const };
      if (!locked.hasItem)
        throw new AppError("CONFLICT", "That excerpt is no longer in the review queue, so it cannot be brought back; open it from the excerpt list instead.");
      const isHeldByOther = locked.isOpen && locked.isLeaseLive && locked.leasedById !== null && locked.leasedById !== userId;
      if (isHeldByOther) throw new AppError("CONFLICT", "Another moderator picked that excerpt up meanwhile, so nothing was undone.");

      await client.query(
        `WITH ins AS (
           INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, reverses_id)
           VALUES ($1, $2, $3, 'reversal', 'queue', $4)
         ), upd AS (
           UPDATE queue_item
           SET is_open = true, leased_by_id = $3,
               lease_expires_at = now() + make_interval(secs => (SELECT lease_seconds FROM workspace WHERE id = $1)),
               skipped_by = array_remove(coalesce(skipped_by, '{}'), $3::int),
               labelled_by = array_remove(coalesce(labelled_by, '{}'), $3::int), updated_at = now()
           WHERE excerpt_id = $2 RETURNING excerpt_id, lease_expires_at
         ), logged AS (
           INSERT INTO queue_claim (workspace_id, user_id, excerpt_id, lease_expires_at)
           SELECT $1, $3, excerpt_id, lease_expires_at FROM upd
         )
         SELECT 1`,
        [workspaceId, last.excerpt_id, userId, last.id],
      );
      const { sql } = derivedLabelUpdate(locked, last.excerpt_id, { kind: "reversal", categoryId: null, reversesId: last.id, userId });
      if (sql) await client.query(sql);
      const { rows: cards } = await client.query<TCardRow>(CARD_SQL, [last.excerpt_id]);
      return { outcome: "done" as const, value: { reversedDecisionId: last.id, card: toCard(cards[0]) } };
    });
    if (result.outcome === "nothing") return null;
    // explained outside the transaction: the model run must not hold the excerpt's lock
    if (result.outcome === "done") return { ...result.value, card: (await explainCards([result.value.card]))[0] };
  }
  throw new AppError("CONFLICT", "Undo kept racing with another undo of the same decision; reload the queue and try again.");
}
