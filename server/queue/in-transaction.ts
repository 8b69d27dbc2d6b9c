import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import { getPool } from "../db/pool.ts";

/**
 * The transaction an idempotent request runs in (server/idempotency/run-idempotent.ts): its key row and
 * every write of the operation must commit together, so a retry either finds the key with the first
 * answer or finds neither. Operations keep calling inTransaction/queryRunner as usual and join it.
 */
const ambientTransaction = new AsyncLocalStorage<pg.PoolClient>();

/** Runs `work` with `client` (inside an open transaction) as the transaction every inTransaction call joins. */
export function joinTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  return ambientTransaction.run(client, work);
}

/** Where a single-statement write runs: the ambient transaction when there is one, else the pool. */
export function queryRunner(): Pick<pg.Pool, "query"> {
  return ambientTransaction.getStore() ?? getPool();
}

/**
 * Runs `work` in one READ COMMITTED transaction on a dedicated pool connection. The queue's hot paths
 * use pg directly rather than Prisma's interactive transactions: at 50 concurrent moderators the
 * per-statement overhead is what decides the p95. Inside joinTransaction it runs in that transaction
 * (work that throws then rolls back the whole request).
 */
export async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const ambient = ambientTransaction.getStore();
  if (ambient) return work(ambient);
  const client = await getPool().connect();
  let isBroken = false;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    try {
      await client.query("ROLLBACK");
    } catch {
      isBroken = true;
    }
    throw err;
  } finally {
    client.release(isBroken);
  }
}

/**
 * An integer as an SQL literal, refusing anything else: for multi-statement simple queries, which
 * carry no parameters but save round trips. Never used for text.
 */
export function sqlInt(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "NULL";
  const text = String(value);
  if (!/^-?[0-9]{1,19}$/.test(text)) throw new Error(`not an integer: ${text}`);
  return text;
}
