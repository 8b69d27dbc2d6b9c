import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../test/test-db.ts";
import { getPool } from "./pool.ts";
import { inTransaction, sqlLiteral } from "./transaction.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await getPool().query(`CREATE TABLE tx_probe (n int)`);
});
afterAll(async () => {
  await testDb?.drop();
});

const count = async () => (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM tx_probe`)).rows[0].n;

describe("inTransaction", () => {
  it("commits what the work wrote and returns its result", async () => {
    const before = await count();
    const result = await inTransaction(async (client) => {
      await client.query(`INSERT INTO tx_probe VALUES (1), (2)`);
      return "done";
    });
    expect(result).toBe("done");
    expect(await count()).toBe(before + 2);
  });

  it("rolls everything back when the work throws, and rethrows", async () => {
    const before = await count();
    await expect(
      inTransaction(async (client) => {
        await client.query(`INSERT INTO tx_probe VALUES (3)`);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await count()).toBe(before);
    // the connection went back to the pool usable (no transaction left open on it)
    expect((await getPool().query<{ ok: number }>(`SELECT 1 AS ok`)).rows[0].ok).toBe(1);
  });

  it("applies the isolation level, read-only and SET LOCAL settings to that transaction only", async () => {
    const seen = await inTransaction(
      async (client) =>
        (
          await client.query<{ iso: string; ro: string; seq: string }>(
            `SELECT current_setting('transaction_isolation') AS iso, current_setting('transaction_read_only') AS ro,
                    current_setting('enable_seqscan') AS seq`,
          )
        ).rows[0],
      { isolation: "repeatable read", isReadOnly: true, settings: { enable_seqscan: "off" } },
    );
    expect(seen).toEqual({ iso: "repeatable read", ro: "on", seq: "off" });
    await expect(inTransaction((client) => client.query(`INSERT INTO tx_probe VALUES (9)`), { isReadOnly: true })).rejects.toThrow(/read-only/);
    const after = await inTransaction(async (client) => (await client.query<{ seq: string }>(`SELECT current_setting('enable_seqscan') AS seq`)).rows[0].seq);
    expect(after).toBe("on");
  });

  it("refuses a setting that is not a plain name and value (no SQL through settings)", async () => {
    const before = await count();
    await expect(inTransaction(async () => 1, { settings: { "enable_seqscan = off; DROP TABLE tx_probe; --": "off" } })).rejects.toThrow(/not a plain setting/);
    expect(await count()).toBe(before);
  });

  it("runs on the caller's connection without releasing it", async () => {
    const client = await getPool().connect();
    try {
      const pid = (await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0].pid;
      const inside = await inTransaction(async (c) => (await c.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0].pid, { client });
      expect(inside).toBe(pid);
      // still ours and outside any transaction
      expect((await client.query<{ s: string }>(`SELECT current_setting('transaction_isolation') AS s`)).rows[0].s).toBe("read committed");
      await client.query(`BEGIN; INSERT INTO tx_probe VALUES (5); ROLLBACK`);
    } finally {
      client.release();
    }
  });

  it("sends withBegin in BEGIN's round trip, inside the transaction, and hands its result to the work", async () => {
    const client = await getPool().connect();
    const sent: string[] = [];
    const query = client.query.bind(client);
    (client as unknown as { query: typeof query }).query = ((...args: Parameters<typeof query>) => {
      sent.push(typeof args[0] === "string" ? args[0] : (args[0] as { text: string }).text);
      return query(...args);
    }) as typeof query;
    try {
      const before = await count();
      const result = await inTransaction(
        async (c, opened) => {
          await c.query(`INSERT INTO tx_probe VALUES (${sqlLiteral((opened?.rows[0].n as number) + 1)})`);
          return { first: opened?.rows[0].n as number };
        },
        { client, withBegin: `INSERT INTO tx_probe VALUES (10) RETURNING n` },
      );
      expect(result).toEqual({ first: 10 });
      expect(await count()).toBe(before + 2);
      // three messages: BEGIN with the first statement, the work's, COMMIT
      expect(sent).toEqual(["BEGIN; INSERT INTO tx_probe VALUES (10) RETURNING n", "INSERT INTO tx_probe VALUES (11)", "COMMIT"]);
    } finally {
      client.release();
    }
  });

  it("rolls back everything when the work fails after the statement sent with BEGIN, and when that statement fails", async () => {
    const before = await count();
    await expect(
      inTransaction(
        async (c) => {
          await c.query(`INSERT INTO tx_probe VALUES ('not a number')`);
          return null;
        },
        { withBegin: `INSERT INTO tx_probe VALUES (21)` },
      ),
    ).rejects.toThrow(/invalid input syntax/);
    expect(await count()).toBe(before);
    let isWorkRun = false;
    await expect(
      inTransaction(
        async () => {
          isWorkRun = true;
        },
        { withBegin: `INSERT INTO tx_probe VALUES (22); SELECT 1 / 0` },
      ),
    ).rejects.toThrow(/division by zero/);
    expect(isWorkRun).toBe(false);
    expect(await count()).toBe(before);
    // the connections went back usable, outside any transaction
    expect((await getPool().query<{ ok: number }>(`SELECT 1 AS ok`)).rows[0].ok).toBe(1);
  });

  it("sqlLiteral writes any string so that PostgreSQL reads back exactly that string", async () => {
    const strings = ["plain", "it's", "back\\slash\\", "'; DROP TABLE tx_probe; --", "$$dollar$$", "line\nbreak\ttab", "ünïcødé 🎮", "E'x'", "\\'", ""];
    for (const s of strings) {
      const { rows } = await getPool().query<{ v: string }>(`SELECT ${sqlLiteral(s)}::text AS v`);
      expect(rows[0].v).toBe(s);
    }
    const json = JSON.stringify({ note: `a "quoted" \\ 'note'`, n: 1 });
    const { rows } = await getPool().query<{ v: unknown }>(`SELECT ${sqlLiteral(json)}::jsonb AS v`);
    expect(rows[0].v).toEqual(JSON.parse(json));
    expect(await count()).toBeGreaterThan(0); // the table is still there
    expect(sqlLiteral(42)).toBe("42");
    expect(sqlLiteral(null)).toBe("NULL");
    expect(() => sqlLiteral(1.5)).toThrow(/whole number/);
    expect(() => sqlLiteral(Number.NaN)).toThrow(/whole number/);
    expect(() => sqlLiteral({} as unknown as string)).toThrow(/cannot write/);
  });

  it("a refused SET LOCAL after BEGIN leaves no aborted transaction on the pooled connection", async () => {
    await expect(inTransaction(async () => 1, { settings: { lock_timeout: "soon" } })).rejects.toThrow(/invalid value|lock_timeout/);
    // the pool hands back the connection released last: it must be outside any transaction
    for (let i = 0; i < 3; i++) expect((await getPool().query<{ ok: number }>(`SELECT 1 AS ok`)).rows[0].ok).toBe(1);
  });

  it("sqlLiteral reads back the same with standard_conforming_strings off, and keeps a negative number out of a comment", async () => {
    const client = await getPool().connect();
    try {
      await client.query("SET standard_conforming_strings = off");
      for (const s of ["it's", "back\\slash", "\\'; SELECT 1; --", "tab\t"]) {
        const { rows } = await client.query<{ v: string }>(`SELECT ${sqlLiteral(s)}::text AS v`);
        expect(rows[0].v).toBe(s);
      }
      const { rows } = await client.query<{ v: number }>(`SELECT 10 -${sqlLiteral(-5)} AS v`);
      expect(rows[0].v).toBe(15);
    } finally {
      await client.query("RESET standard_conforming_strings");
      client.release();
    }
  });
});
