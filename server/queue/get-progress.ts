import type { TProgress } from "@/lib/queue/types.ts";
import { getPool } from "../db/pool.ts";

export type TGetProgressOptions = { workspaceId: number; userId: number };

// decidedToday walks decision(user_id, created_at) over one moderator's day: a few thousand rows at
// most, always exact. A reversal always comes after the label it undoes and from the same moderator
// (undo only reverses one's own decisions), so netting within the day's rows is exact too.
const DECIDED_TODAY_SQL = `
WITH today AS (
  SELECT id, kind, reverses_id FROM decision
  WHERE user_id = $2 AND created_at >= date_trunc('day', now()) AND workspace_id = $1
)
SELECT count(*)::int AS n FROM today t
WHERE t.kind = 'label' AND t.id NOT IN (SELECT reverses_id FROM today WHERE kind = 'reversal' AND reverses_id IS NOT NULL)`;

// "Remaining" is the open part of queue_item. Counting it cost tens of milliseconds at 1M open items and
// grows with the queue; instead it is read from queue_open_count, which statement-level triggers on
// queue_item keep exact in the same transactions that open and close items (see the migration
// 20261206140000_scale_counts_incremental_rollups): a sum over at most 16 slot rows, whatever the size.
const REMAINING_SQL = `SELECT coalesce(sum(n), 0)::int AS n FROM queue_open_count WHERE workspace_id = $1`;

export async function getProgress({ workspaceId, userId }: TGetProgressOptions): Promise<TProgress> {
  const pool = getPool();
  const [decided, remaining] = await Promise.all([
    pool.query<{ n: number }>({ name: "progress-decided-today", text: DECIDED_TODAY_SQL, values: [workspaceId, userId] }),
    pool.query<{ n: number }>({ name: "progress-remaining", text: REMAINING_SQL, values: [workspaceId] }),
  ]);
  return { decidedToday: decided.rows[0].n, remaining: remaining.rows[0].n };
}

/** Open items of a workspace, exact and O(1) in the queue's size (also the dashboard's backlog). */
export async function countOpenItems(workspaceId: number): Promise<number> {
  const { rows } = await getPool().query<{ n: number }>({ name: "progress-remaining", text: REMAINING_SQL, values: [workspaceId] });
  return rows[0].n;
}
