import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../test/test-db.ts";
import { getPool } from "./pool.ts";

/**
 * excerpt.workspace_id is checked per statement, not by a per-row foreign key (migration
 * 20261206190000): the same guarantees as the foreign key it replaced, tested here against PostgreSQL.
 */
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let ws: number;

const newWorkspace = async (slug: string) =>
  (await getPool().query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ($1, $1) RETURNING id`, [slug])).rows[0].id;
const addExcerpts = (workspaceIds: number[], tag: string) =>
  getPool().query(
    `INSERT INTO excerpt (workspace_id, dedup_key, text) SELECT w, $2 || '-' || i, 'line ' || i FROM unnest($1::int[]) WITH ORDINALITY AS t(w, i)`,
    [workspaceIds, tag],
  );
const excerptCount = async (workspaceId: number) =>
  (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM excerpt WHERE workspace_id = $1`, [workspaceId])).rows[0].n;

/** Two sessions of their own (the races need transactions open at once), closed whatever happens. */
async function withTwoSessions(work: (a: pg.Client, b: pg.Client) => Promise<void>): Promise<void> {
  const a = new pg.Client({ connectionString: testDb.url });
  const b = new pg.Client({ connectionString: testDb.url });
  await a.connect();
  await b.connect();
  try {
    await work(a, b);
  } finally {
    await a.end();
    await b.end();
  }
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  ws = await newWorkspace("check-a");
});
afterAll(async () => {
  await testDb?.drop();
});

describe("excerpt → workspace, checked per statement", () => {
  it("has no per-row foreign key left on excerpt.workspace_id", async () => {
    const { rows } = await getPool().query(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'excerpt'::regclass AND contype = 'f' AND conname = 'excerpt_workspace_id_fkey'`,
    );
    expect(rows).toEqual([]);
  });

  it("takes rows of existing workspaces, many in one statement", async () => {
    const other = await newWorkspace("check-b");
    await addExcerpts([ws, ws, other, ws], "ok");
    expect(await excerptCount(ws)).toBeGreaterThanOrEqual(3);
    expect(await excerptCount(other)).toBe(1);
  });

  it("refuses a statement naming a missing workspace, whole, with the foreign key's error", async () => {
    const before = await excerptCount(ws);
    const err = (await addExcerpts([ws, 999_999], "missing").catch((e: unknown) => e)) as pg.DatabaseError;
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe("23503");
    expect(err.constraint).toBe("excerpt_workspace_id_fkey");
    expect(err.detail).toBe('Key (workspace_id)=(999999) is not present in table "workspace".');
    expect(await excerptCount(ws)).toBe(before);
  });

  it("never moves an excerpt to another workspace", async () => {
    const other = await newWorkspace("check-c");
    await addExcerpts([ws], "move");
    const err = (await getPool()
      .query(`UPDATE excerpt SET workspace_id = $1 WHERE dedup_key = 'move-1'`, [other])
      .catch((e: unknown) => e)) as pg.DatabaseError;
    expect(err.code).toBe("23503");
    expect(err.message).toMatch(/cannot move to another workspace/);
    // other columns still update
    await getPool().query(`UPDATE excerpt SET text = 'edited' WHERE dedup_key = 'move-1'`);
  });

  it("deletes a workspace's excerpts, and their dependents, with the workspace", async () => {
    const gone = await newWorkspace("check-gone");
    await addExcerpts([gone, gone], "gone");
    const { rows } = await getPool().query<{ id: string }>(`SELECT id::text FROM excerpt WHERE workspace_id = $1`, [gone]);
    await getPool().query(`INSERT INTO user_report (workspace_id, excerpt_id, scores) VALUES ($1, $2, '{}')`, [gone, rows[0].id]);
    await getPool().query(`DELETE FROM workspace WHERE id = $1`, [gone]);
    expect(await excerptCount(gone)).toBe(0);
    const reports = await getPool().query(`SELECT 1 FROM user_report WHERE excerpt_id = $1`, [rows[0].id]);
    expect(reports.rows).toEqual([]);
    // the other workspaces' excerpts stay
    expect(await excerptCount(ws)).toBeGreaterThan(0);
  });

  it("refuses to change a workspace's id", async () => {
    const err = (await getPool()
      .query(`UPDATE workspace SET id = id + 1000 WHERE id = $1`, [ws])
      .catch((e: unknown) => e)) as pg.DatabaseError;
    expect(err.message).toMatch(/workspace id cannot change/);
  });

  it("makes a concurrent workspace delete wait for an uncommitted insert, which then lands and is deleted with it", async () => {
    const racing = await newWorkspace("check-race");
    await withTwoSessions(async (inserter, deleter) => {
      await inserter.query("BEGIN");
      await inserter.query(`INSERT INTO excerpt (workspace_id, dedup_key, text) VALUES ($1, 'race-1', 'x')`, [racing]);
      let deleted = false;
      const deleting = deleter.query(`DELETE FROM workspace WHERE id = $1`, [racing]).then(() => {
        deleted = true;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(deleted).toBe(false); // held by the insert's KEY SHARE lock, as with the foreign key
      await inserter.query("COMMIT");
      await deleting;
      expect(await excerptCount(racing)).toBe(0);
    });
  });

  it("fails an insert whose workspace was deleted by a transaction that committed while it waited", async () => {
    const racing = await newWorkspace("check-race-2");
    await withTwoSessions(async (deleter, inserter) => {
      await deleter.query("BEGIN");
      await deleter.query(`DELETE FROM workspace WHERE id = $1`, [racing]);
      const inserting = inserter.query(`INSERT INTO excerpt (workspace_id, dedup_key, text) VALUES ($1, 'race-2', 'x')`, [racing]).then(
        () => null,
        (e: pg.DatabaseError) => e,
      );
      await new Promise((r) => setTimeout(r, 300));
      await deleter.query("COMMIT");
      const err = await inserting;
      expect(err?.code).toBe("23503");
      expect(await excerptCount(racing)).toBe(0);
    });
  });
});
