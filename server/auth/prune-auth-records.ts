import { THROTTLE } from "@/lib/auth/sign-in-throttle.ts";
import { getPool } from "../db/pool.ts";
import { cachedEnv } from "../env.ts";

const BATCH = 10_000;

async function deleteInBatches(sql: string, params: unknown[]): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await getPool().query(sql, [...params, BATCH]);
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) return deleted;
  }
}

/**
 * Deletes sessions past their absolute end or idle timeout, and sign-in attempts no throttling rule
 * reads any more (failures after the account window, successes after the known-address period).
 * Runs in the worker's once-a-minute sweep, in batches of 10,000 so a backlog (a long flood) never
 * holds one long transaction.
 */
export async function pruneAuthRecords(): Promise<{ sessionsDeleted: number; attemptsDeleted: number }> {
  const sessionsDeleted = await deleteInBatches(
    `DELETE FROM session WHERE id IN (
       SELECT id FROM session WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(mins => $1) LIMIT $2)`,
    [cachedEnv().MODLOOP_SESSION_IDLE_MINUTES],
  );
  const attemptsDeleted = await deleteInBatches(
    `DELETE FROM login_attempt WHERE id IN (
       SELECT id FROM login_attempt
        WHERE (NOT is_success AND attempted_at < now() - make_interval(secs => $1)) OR attempted_at < now() - make_interval(days => $2)
        LIMIT $3)`,
    [Math.max(THROTTLE.accountWindowMs, THROTTLE.pairWindowMs, THROTTLE.addressWindowMs) / 1000, THROTTLE.knownPairDays],
  );
  return { sessionsDeleted, attemptsDeleted };
}
