import type pg from "pg";

/**
 * True on PGlite, the zero-setup embedded database. It runs one backend session behind its socket, so
 * a second connection cannot work while the export's transaction is open, and it does not stream
 * COPY TO STDOUT: the export reads through a cursor there and reports progress between passes only.
 */
export async function isEmbeddedDatabase(client: pg.PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ version: string }>(`SELECT version()`);
  return rows[0].version.includes("PGlite");
}
