import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors.ts";
import { parseIdempotencyKey } from "@/lib/http/idempotency-key.ts";
import { inTransaction, joinTransaction } from "../db/transaction.ts";

export type TIdempotencyScope = {
  userId: number;
  workspaceId: number;
  /** the Idempotency-Key header as sent; absent = the request is not idempotent (older clients, scripts) */
  key: string | null | undefined;
  /** names the operation, so one key cannot be replayed against another route */
  operation: string;
  /** the operation's input: a retry must send the same, else 409 */
  request: unknown;
};

type TStoredRow = { operation: string; request_hash: string; response: unknown };

/**
 * Runs a state-changing operation at most once per Idempotency-Key. The key row is inserted first, in
 * the operation's own transaction (every inTransaction/queryRunner inside `work` joins it):
 *  - a retry after the commit (the response was lost) conflicts on the primary key and gets the stored
 *    first answer, nothing written;
 *  - a concurrent duplicate blocks on the first one's uncommitted key, then either reads its committed
 *    answer or, if the first rolled back (an error is never stored), runs itself;
 *  - the same key with a different request is refused, as a client bug.
 * The database enforces it (a primary key), not a read-then-write.
 */
export async function runIdempotent<T>(scope: TIdempotencyScope, work: () => Promise<T>): Promise<T> {
  const key = parseIdempotencyKey(scope.key);
  if (key === null) return work();
  const requestHash = createHash("sha256")
    .update(JSON.stringify(scope.request ?? null))
    .digest("hex");
  return inTransaction(async (client) => {
    const { rowCount } = await client.query(
      `INSERT INTO idempotent_request (user_id, key, workspace_id, operation, request_hash)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, key) DO NOTHING`,
      [scope.userId, key, scope.workspaceId, scope.operation, requestHash],
    );
    if (rowCount === 0) {
      // a new statement: READ COMMITTED sees the row whose commit the INSERT waited for
      const { rows } = await client.query<TStoredRow>(`SELECT operation, request_hash, response FROM idempotent_request WHERE user_id = $1 AND key = $2`, [
        scope.userId,
        key,
      ]);
      const stored = rows[0];
      if (!stored || stored.operation !== scope.operation || stored.request_hash !== requestHash) {
        throw new AppError("CONFLICT", "This Idempotency-Key was already used for a different request; send a new key for a new action.");
      }
      return stored.response as T;
    }
    const result = await joinTransaction(client, work);
    await client.query(`UPDATE idempotent_request SET response = $3::jsonb WHERE user_id = $1 AND key = $2`, [
      scope.userId,
      key,
      JSON.stringify(result ?? null),
    ]);
    return result;
  });
}

/** Deletes keys older than `olderThanHours` (a client retries for seconds, not days). */
export async function pruneIdempotentRequests({ olderThanHours = 24 }: { olderThanHours?: number } = {}): Promise<{ deleted: number }> {
  return inTransaction(async (client) => {
    const { rowCount } = await client.query(`DELETE FROM idempotent_request WHERE created_at < now() - make_interval(hours => $1)`, [olderThanHours]);
    return { deleted: rowCount ?? 0 };
  });
}
