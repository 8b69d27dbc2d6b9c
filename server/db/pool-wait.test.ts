import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getCategories } from "@/app/api/w/[workspace]/categories/route.ts";
import { createSession } from "../auth/session.ts";
import { resetEnvCache } from "../env.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { getPool } from "./pool.ts";

/**
 * The pool's wait for a free connection is bounded (MODLOOP_POOL_WAIT_MS): requests that hold
 * connections while their own queries wait for more could otherwise stall the web process for good
 * (found by an attack pass: concurrent keyed imports). A request that cannot get a connection in time
 * answers 503 BUSY with Retry-After, and the process serves again once connections come free.
 */

let drop: () => Promise<void>;
let token: string;
const saved = { max: process.env.MODLOOP_POOL_MAX, wait: process.env.MODLOOP_POOL_WAIT_MS };

beforeAll(async () => {
  process.env.MODLOOP_POOL_MAX = "2";
  process.env.MODLOOP_POOL_WAIT_MS = "300";
  resetEnvCache();
  ({ drop } = await createTestDatabase());
  const pool = getPool();
  const { rows } = await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('ws', 'WS') RETURNING id`);
  await pool.query(`INSERT INTO category (workspace_id, name, color, hotkey, sort_order, is_non_toxic) VALUES ($1, 'Fine', '#16a34a', 1, 10, true)`, [
    rows[0]!.id,
  ]);
  const { rows: users } = await pool.query<{ id: number }>(
    `INSERT INTO app_user (email, name, password_hash, role) VALUES ('root@x.test', 'Root', 'x', 'admin') RETURNING id`,
  );
  token = (await createSession(users[0]!.id)).token;
});
afterAll(async () => {
  await drop();
  process.env.MODLOOP_POOL_MAX = saved.max;
  process.env.MODLOOP_POOL_WAIT_MS = saved.wait;
  if (saved.max === undefined) delete process.env.MODLOOP_POOL_MAX;
  if (saved.wait === undefined) delete process.env.MODLOOP_POOL_WAIT_MS;
  resetEnvCache();
});

const categories = () =>
  getCategories(new Request("http://modloop.test/api/w/ws/categories", { headers: { cookie: `modloop_session=${token}` } }), {
    params: Promise.resolve({ workspace: "ws" }),
  });

describe("a bounded wait for a pool connection", () => {
  it("answers 503 with Retry-After while every connection is held, and serves again once they are free", async () => {
    const pool = getPool();
    expect(pool.options.max).toBe(2);
    // the 300 ms bound also bounds opening a connection, which takes longer than that on a loaded machine:
    // the test's own two connections may retry (only the request's wait is under test)
    const connect = async (): Promise<pg.PoolClient> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await pool.connect();
        } catch (err) {
          if (attempt >= 10) throw err;
        }
      }
    };
    const held = [await connect(), await connect()];
    try {
      const started = performance.now();
      const busy = await categories();
      expect(busy.status).toBe(503);
      expect(busy.headers.get("retry-after")).toBe("2");
      expect(((await busy.json()) as { error: { code: string } }).error.code).toBe("BUSY");
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      for (const client of held) client.release();
    }
    expect((await categories()).status).toBe(200);
  });
});
