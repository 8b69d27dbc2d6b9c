import type { TRereviewItem } from "@/lib/label-errors/types.ts";
import { getPool } from "../db/pool.ts";
import { checkLimit } from "./list-rereview-queue.ts";
import { readRereviewItems } from "./read-rereview-items.ts";

// The senior's live leases first (a reload gets the same items back), then the most likely errors
// nobody holds. SKIP LOCKED: two seniors claiming at once never get the same suspect. The lease lasts
// the workspace's queue lease.
const CLAIM_SQL = `
WITH picked AS (
  SELECT id FROM label_suspect
   WHERE workspace_id = $1 AND status = 'open'
     AND (leased_by_id IS NULL OR lease_expires_at <= now() OR leased_by_id = $2)
   ORDER BY (leased_by_id = $2 AND lease_expires_at > now()) DESC NULLS LAST, quality, id
   LIMIT $3
   FOR UPDATE SKIP LOCKED
)
UPDATE label_suspect s
   SET leased_by_id = $2, lease_expires_at = now() + make_interval(secs => w.lease_seconds)
  FROM picked, workspace w
 WHERE s.id = picked.id AND w.id = $1
RETURNING s.id::text AS id, s.quality`;

/** Leases up to `limit` suspects to a senior moderator (the caller checks isAdjudicator) and returns them with their evidence. */
export async function claimRereviewItems({
  workspaceId,
  userId,
  limit = 5,
}: {
  workspaceId: number;
  userId: number;
  limit?: number;
}): Promise<TRereviewItem[]> {
  checkLimit(limit);
  const { rows } = await getPool().query<{ id: string; quality: number }>(CLAIM_SQL, [workspaceId, userId, limit]);
  rows.sort((a, b) => a.quality - b.quality || Number(BigInt(a.id) - BigInt(b.id)));
  return readRereviewItems({ workspaceId, suspectIds: rows.map((r) => r.id) });
}
