import type pg from "pg";
import { getPool } from "../db/pool.ts";

/**
 * Runs `work` in one READ COMMITTED transaction on a dedicated pool connection. The queue's hot paths
 * use pg directly rather than Prisma's interactive transactions: a decision is four short statements
 * and at 50 concurrent moderators the per-statement overhead is what decides the p95.
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
 * For hot paths that fold BEGIN into their first statement and COMMIT into their last (a multi-statement
 * simple query, so a decision costs three round trips instead of five): `work` sends BEGIN and COMMIT
 * itself; on any error the transaction is rolled back here. Only integers may be interpolated into such
 * statements (the simple protocol has no parameters); text always goes through a parameterised query.
 */
export async function inSelfManagedTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  let isBroken = false;
  try {
    return await work(client);
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

/** An integer as an SQL literal, refusing anything else (for the simple-protocol statements above). */
export function sqlInt(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "NULL";
  const text = String(value);
  if (!/^-?[0-9]{1,19}$/.test(text)) throw new Error(`not an integer: ${text}`);
  return text;
}
