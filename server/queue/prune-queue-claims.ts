import { getPool } from "../db/pool.ts";

/** How long after its lease expired a claim row is kept (for looking into "who had this item" questions). */
export const CLAIM_RETENTION_SECONDS = 3600;
const BATCH = 10_000;

export type TPruneQueueClaimsResult = { deleted: number };

/**
 * Deletes queue_claim rows whose lease expired more than `retentionSeconds` ago. The claim only ever
 * reads a user's unexpired claims (claim-items.ts), so an expired row is dead weight: without this
 * the table grows by one row per item served, forever. Runs in the worker's once-a-minute sweep, so
 * the table stays at about an hour of claims. Deletes in batches of 10,000, each its own short
 * transaction, so a backlog never holds a long transaction; claims insert new rows and never wait on these.
 */
export async function pruneQueueClaims(options: { retentionSeconds?: number } = {}): Promise<TPruneQueueClaimsResult> {
  const retention = options.retentionSeconds ?? CLAIM_RETENTION_SECONDS;
  if (!(retention >= 0)) throw new RangeError(`retentionSeconds must be ≥ 0, got ${retention}`);
  const pool = getPool();
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM queue_claim WHERE id IN (
         SELECT id FROM queue_claim WHERE lease_expires_at < now() - make_interval(secs => $1) LIMIT $2)`,
      [retention, BATCH],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) return { deleted };
  }
}
