import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/demo/demo-users.ts";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { listDemoAccounts } from "./list-demo-accounts.ts";
import { DEMO_IMPORT_FILENAME } from "./seed-demo-workspace.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.drop();
});

describe("listDemoAccounts", () => {
  it("offers nothing on an instance that was not seeded with the demo, even if accounts share its e-mails", async () => {
    const pool = getPool();
    const { rows } = await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('default', 'Prod') RETURNING id`);
    for (const u of DEMO_USERS)
      await pool.query(`INSERT INTO app_user (email, name, password_hash, role) VALUES ($1, $2, 'x', $3::"Role")`, [u.email, u.name, u.role]);
    expect(await listDemoAccounts()).toBeNull();
    await pool.query(`INSERT INTO import_batch (workspace_id, filename, format) VALUES ($1, 'chat.csv', 'csv')`, [rows[0].id]);
    expect(await listDemoAccounts()).toBeNull();
  });

  it("offers the demo accounts once the demo chat was imported, leaving out deactivated ones", async () => {
    const pool = getPool();
    await pool.query(`INSERT INTO import_batch (workspace_id, filename, format) SELECT id, $1, 'jsonl' FROM workspace`, [DEMO_IMPORT_FILENAME]);
    const all = await listDemoAccounts();
    expect(all?.password).toBe(DEMO_PASSWORD);
    expect(all?.users.map((u) => u.email)).toEqual(DEMO_USERS.map((u) => u.email));
    await pool.query(`UPDATE app_user SET is_active = false WHERE email = $1`, [DEMO_USERS[0].email]);
    expect((await listDemoAccounts())?.users.map((u) => u.email)).toEqual(DEMO_USERS.slice(1).map((u) => u.email));
  });
});
