import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../test/test-db.ts";
import { getPool } from "./pool.ts";
import { inTransaction } from "./transaction.ts";

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
});
