import { afterAll, beforeAll } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";

/**
 * For an import test file: its own test database (dropped after the file) with one admin, the importing
 * user. `userId()` reads the admin's id once the database exists.
 */
export function setUpImportTestDatabase(): { userId: () => number } {
  let drop: () => Promise<void> = async () => {};
  let userId = 0;
  beforeAll(async () => {
    const tdb = await createTestDatabase();
    drop = tdb.drop;
    const user = await tdb.prisma.user.create({ data: { email: "admin@example.test", name: "Admin", passwordHash: "x", role: "admin" } });
    userId = user.id;
  });
  afterAll(async () => drop());
  return { userId: () => userId };
}

/** A new empty workspace, so counts never leak between tests. */
export async function createTestWorkspace(): Promise<number> {
  const slug = `ws-${Math.random().toString(36).slice(2)}`;
  const { rows } = await getPool().query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ($1, $1) RETURNING id`, [slug]);
  return rows[0].id;
}
