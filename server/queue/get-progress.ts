import type { TProgress } from "@/lib/queue/types.ts";
import { getPool, requireDatabaseUrl } from "../db/pool.ts";

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

// "Remaining" is a count over the open part of queue_item: at 1M open items even the index-only scan
// of queue_item_claim_idx costs tens of milliseconds, and every moderator polls it after every decision.
// A maintained counter row would be exact but would put one hot row under every claim and decision
// (50 moderators serialising on it). So the count is cached per workspace for a few seconds and
// computed once however many moderators ask at the same moment; a progress line that lags a few
// seconds behind the exact figure is invisible to a moderator.
const REMAINING_TTL_MS = 5_000;
const remainingCache = new Map<string, { value: Promise<number>; expiresAt: number }>();

export async function getProgress({ workspaceId, userId }: TGetProgressOptions): Promise<TProgress> {
  const [decided, remaining] = await Promise.all([
    getPool().query<{ n: number }>(DECIDED_TODAY_SQL, [workspaceId, userId]),
    remainingOpenItems(workspaceId),
  ]);
  return { decidedToday: decided.rows[0].n, remaining };
}

function remainingOpenItems(workspaceId: number): Promise<number> {
  const key = `${requireDatabaseUrl()}#${workspaceId}`;
  const hit = remainingCache.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.value;
  const value = getPool()
    .query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_item WHERE workspace_id = $1 AND is_open`, [workspaceId])
    .then((r) => r.rows[0].n);
  remainingCache.set(key, { value, expiresAt: Date.now() + REMAINING_TTL_MS });
  // a failed count must not stay cached
  value.catch(() => {
    if (remainingCache.get(key)?.value === value) remainingCache.delete(key);
  });
  return value;
}

/** Tests and admin actions that bulk-change the queue drop the cached count. */
export function forgetRemainingCounts(): void {
  remainingCache.clear();
}
