import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/server/auth/session.ts";
import { getPool } from "@/server/db/pool.ts";
import { env } from "@/server/env.ts";
import { stopBoss } from "@/server/jobs/boss.ts";
import { createTestDatabase } from "@/server/test/test-db.ts";
import { POST as importExcerpts } from "./[workspace]/excerpts/route.ts";

/**
 * Retries that arrive together (a client that fires its retries without waiting, a proxy that replays)
 * through the real route with real requests against a real database. A duplicate of a keyed request
 * must not sit on a pool connection while it waits for the first one: the first one's own queries need
 * connections too, so as many duplicates as the pool has connections froze the whole web process.
 */

type THandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ORIGIN = "http://modloop.test";

let drop: () => Promise<void>;
let alpha: number;
let token: string;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const pool = getPool();
  const { rows: ws } = await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('alpha', 'Alpha') RETURNING id`);
  alpha = ws[0]!.id;
  await pool.query(
    `INSERT INTO category (workspace_id, name, color, hotkey, sort_order, is_non_toxic)
     VALUES ($1, 'Fine', '#16a34a', 1, 10, true), ($1, 'Insult', '#f97316', 2, 20, false)`,
    [alpha],
  );
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO app_user (email, name, password_hash, role) VALUES ('scientist@x.test', 'S', 'x', 'moderator') RETURNING id`,
  );
  await pool.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, 'data_scientist')`, [alpha, rows[0]!.id]);
  token = (await createSession(rows[0]!.id)).token;
}, 60_000);
afterAll(async () => {
  await stopBoss({ graceful: false });
  await drop();
}, 60_000);

function importBatch(key: string, records: unknown[]): Promise<Response> {
  const req = new Request(`${ORIGIN}/api/w/alpha/excerpts`, {
    method: "POST",
    headers: { cookie: `modloop_session=${token}`, origin: ORIGIN, "content-type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify({ records }),
  });
  return (importExcerpts as THandler)(req, { params: Promise.resolve({ workspace: "alpha" }) });
}

const within = <T>(ms: number, work: Promise<T>) =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms: the requests are stuck`)), ms))]);

describe("concurrent duplicates of a keyed request", () => {
  it("more duplicates than the pool has connections all get the first answer, and one import is recorded", async () => {
    const records = [{ text: "one line sent many times at once", external_id: "burst-1", label: "Insult" }];
    const duplicates = env().MODLOOP_POOL_MAX + 2;
    const answers = await within(
      30_000,
      Promise.all(
        Array.from({ length: duplicates }, () => importBatch("burst-key-0001", records).then(async (r) => ({ status: r.status, body: await r.json() }))),
      ),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200]));
    for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
    const { rows } = await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM import_batch WHERE workspace_id = $1`, [alpha]);
    expect(rows[0]!.n).toBe(1);
    // the pool is still usable afterwards
    expect((await within(5_000, getPool().query(`SELECT 1 AS ok`))).rows[0].ok).toBe(1);
  }, 60_000);
});
