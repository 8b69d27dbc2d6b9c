import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort } from "../test/free-port.ts";
import { startEmbeddedPostgres } from "./embedded.ts";

let stop: () => Promise<void>;
let url: string;

beforeAll(async () => {
  const embedded = await startEmbeddedPostgres({ dataDir: mkdtempSync(path.join(tmpdir(), "modloop-pglite-queue-")), port: await freePort() });
  stop = embedded.stop;
  url = embedded.url;
}, 120_000);
afterAll(() => stop?.());

it("keeps each connection's unnamed prepared statements apart (no 'bind message supplies 3 parameters' under concurrency)", async () => {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  try {
    // writes with 1, 2 and 3 parameters, eight connections at once: a write makes PGlite flush to its
    // files between messages, which is when other connections' messages queue up and could interleave
    await pool.query("CREATE TABLE w (a int, b int, c int)");
    const shapes = [
      (i: number) => pool.query<{ v: number }>("INSERT INTO w (a) VALUES ($1) RETURNING a AS v", [i]),
      (i: number) => pool.query<{ v: number }>("INSERT INTO w (a, b) VALUES ($1, $2) RETURNING a + b AS v", [i, 0]),
      (i: number) => pool.query<{ v: number }>("INSERT INTO w (a, b, c) VALUES ($1, $2, $3) RETURNING a + b + c AS v", [i, 0, 0]),
    ];
    // a transaction (as a snapshot's read holds one) keeps the session while the others queue up; when it
    // ends they are all released at once, which is when one's Parse could land between another's Parse and Bind
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query("SELECT 1");
    const pending = Promise.allSettled(Array.from({ length: 600 }, (_, i) => shapes[i % 3](i).then((r) => r.rows[0].v === i)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await holder.query("COMMIT");
    await holder.end();
    const results = await pending;
    const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures.slice(0, 3)).toEqual([]);
    expect(results.every((r) => r.status === "fulfilled" && r.value)).toBe(true);
    // transactions still hold the session to themselves: no other connection's write lands inside one
    await pool.query("CREATE TABLE IF NOT EXISTS t (n int)");
    await Promise.all(
      Array.from({ length: 8 }, async (_, k) => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          await client.query("INSERT INTO t VALUES ($1)", [k]);
          const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM t WHERE n = $1", [k]);
          expect(rows[0].n).toBe(1);
          await client.query("ROLLBACK");
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
}, 120_000);

it("a transaction opened and closed by messages of several statements (BEGIN; … and …; COMMIT) keeps the session to itself", async () => {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  try {
    await pool.query("CREATE TABLE m (n int)");
    // server/db/transaction.ts sends the idempotency key row in BEGIN's message (withBegin)
    await Promise.all(
      Array.from({ length: 8 }, async (_, k) => {
        const client = await pool.connect();
        try {
          await client.query(`BEGIN; INSERT INTO m VALUES (${k})`);
          const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM m WHERE n = $1", [k]);
          expect(rows[0].n).toBe(1);
          if (k % 2 === 0) await client.query(`INSERT INTO m VALUES (${k + 100}); COMMIT`);
          else await expect(client.query(`INSERT INTO m VALUES ('x'); COMMIT`)).rejects.toThrow(/invalid input syntax/);
          if (k % 2 === 1) await client.query("ROLLBACK");
        } finally {
          client.release();
        }
      }),
    );
    const { rows } = await pool.query<{ n: number }>("SELECT n FROM m ORDER BY n");
    expect(rows.map((r) => r.n)).toEqual([0, 2, 4, 6, 100, 102, 104, 106]);
  } finally {
    await pool.end();
  }
}, 120_000);
