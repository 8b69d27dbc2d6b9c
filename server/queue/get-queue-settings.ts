import { AppError } from "@/lib/errors.ts";
import { getPool, requireDatabaseUrl } from "../db/pool.ts";

export type TQueueSettings = { claimBatchSize: number; randomShare: number; leaseSeconds: number };

// The claim path needs batch size and random share before it can build its one statement. The claim
// route passes the workspace row its wrapper already read with the session (always current); callers
// without one (scripts, benchmarks, tests) read them here, where they change rarely enough that a few
// seconds of staleness saves a round trip on every claim. The lease length is read inside the claim
// statement itself, never from here.
const TTL_MS = 5_000;
const cache = new Map<string, { value: Promise<TQueueSettings>; expiresAt: number }>();

export function getQueueSettings({ workspaceId }: { workspaceId: number }): Promise<TQueueSettings> {
  // keyed by database too: one process may talk to several (tests, benchmarks)
  const key = `${requireDatabaseUrl()}#${workspaceId}`;
  const hit = cache.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.value;
  // the promise is cached, so moderators arriving together share one query
  const value = getPool()
    .query<{ claim_batch_size: number; random_share: number; lease_seconds: number }>(
      `SELECT claim_batch_size, random_share, lease_seconds FROM workspace WHERE id = $1`,
      [workspaceId],
    )
    .then(({ rows }) => {
      if (!rows[0]) throw new AppError("NOT_FOUND", `Workspace ${workspaceId} does not exist.`);
      return { claimBatchSize: rows[0].claim_batch_size, randomShare: rows[0].random_share, leaseSeconds: rows[0].lease_seconds };
    });
  cache.set(key, { value, expiresAt: Date.now() + TTL_MS });
  // a failure (unknown workspace, lost connection) must not be remembered
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}

/** For callers that just changed the settings (the admin page) and tests. */
export function forgetQueueSettings(): void {
  cache.clear();
}
