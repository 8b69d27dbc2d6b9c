import type pg from "pg";
import { getPool } from "../db/pool.ts";

/**
 * Runs `work` in one READ COMMITTED transaction on a dedicated pool connection. The queue's hot paths
 * use pg directly rather than Prisma's interactive transactions: at 50 concurrent moderators the
 * per-statement overhead is what decides the p95.
 */
export async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
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
