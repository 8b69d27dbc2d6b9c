import type pg from "pg";

/**
 * Takes the transaction-scoped advisory lock named `key` (hashed by PostgreSQL's hashtext): callers that
 * lock the same key run one after another until the holder's transaction ends. Keys read
 * "modloop.<what>:<id>…" so different features never share one.
 */
export async function lockForTransaction(client: Pick<pg.ClientBase, "query">, key: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [key]);
}
