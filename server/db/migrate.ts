import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { inTransaction } from "./transaction.ts";

/**
 * Applies prisma/migrations/<ts>_<name>/migration.sql in order and records each in Prisma's own
 * `_prisma_migrations` table with the same checksum Prisma uses (sha256 of the file), so
 * `prisma migrate deploy` keeps working wherever Prisma's native engine is available.
 * Each migration runs in one transaction; an advisory lock makes concurrent starts safe.
 */
export async function migrate(connectionString: string, opts: { log?: (m: string) => void } = {}): Promise<string[]> {
  const log = opts.log ?? (() => {});
  const dir = path.resolve(process.cwd(), "prisma/migrations");
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const client = new pg.Client({ connectionString });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock(724110)");
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const done = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const doneByName = new Map(done.rows.map((r) => [r.migration_name, r.checksum]));
    for (const name of names) {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const previous = doneByName.get(name);
      if (previous) {
        if (previous !== checksum) {
          throw new Error(`Migration ${name} was edited after it was applied (checksum differs). Add a new migration instead.`);
        }
        continue;
      }
      log(`applying migration ${name}`);
      try {
        // on the connection that holds the advisory lock
        await inTransaction(
          async (c) => {
            await c.query(sql);
            await c.query(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`, [
              randomUUID(),
              checksum,
              name,
            ]);
          },
          { client },
        );
      } catch (err) {
        throw new Error(`Migration ${name} failed and was rolled back: ${(err as Error).message}`);
      }
      applied.push(name);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(724110)").catch(() => {});
    await client.end();
  }
  return applied;
}
