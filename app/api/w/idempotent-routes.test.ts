import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/server/auth/session.ts";
import { getPool } from "@/server/db/pool.ts";
import { getBoss, stopBoss } from "@/server/jobs/boss.ts";
import { QUEUES } from "@/server/jobs/queues.ts";
import { createTestDatabase } from "@/server/test/test-db.ts";
import { POST as createApiKey } from "./[workspace]/admin/api-keys/route.ts";
import { POST as redeliver } from "./[workspace]/admin/webhook-deliveries/[id]/redeliver/route.ts";
import { POST as createWebhook } from "./[workspace]/admin/webhooks/route.ts";
import { POST as createSnapshot } from "./[workspace]/datasets/snapshots/route.ts";
import { POST as importExcerpts } from "./[workspace]/excerpts/route.ts";
import { POST as promote } from "./[workspace]/models/[id]/promote/route.ts";
import { POST as rollback } from "./[workspace]/models/rollback/route.ts";

/**
 * Every state-changing request a client may retry (issue 13), through the real route modules with real
 * requests against a real database: the same Idempotency-Key answers the first answer again and writes
 * nothing more; the same key with another body is a 409; a role or workspace that may not call the route
 * is refused before anything is written. Promotion and rollback also refuse (409) when the active
 * version is no longer the one the client saw.
 */

type THandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ORIGIN = "http://modloop.test";

let drop: () => Promise<void>;
let alpha: number;
const tokens: Record<"admin" | "scientist" | "moderator" | "outsider", string> = { admin: "", scientist: "", moderator: "", outsider: "" };
let keySeq = 0;
const newKey = () => `idem-test-${++keySeq}-${Date.now()}`;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const pool = getPool();
  const { rows: ws } = await pool.query<{ id: number; slug: string }>(
    `INSERT INTO workspace (slug, name) VALUES ('alpha', 'Alpha'), ('bravo', 'Bravo') RETURNING id, slug`,
  );
  alpha = ws.find((w) => w.slug === "alpha")!.id;
  const bravo = ws.find((w) => w.slug === "bravo")!.id;
  for (const id of [alpha, bravo]) {
    await pool.query(
      `INSERT INTO category (workspace_id, name, color, hotkey, sort_order, is_non_toxic)
       VALUES ($1, 'Fine', '#16a34a', 1, 10, true), ($1, 'Insult', '#f97316', 2, 20, false)`,
      [id],
    );
  }
  for (const [who, role, workspaceId] of [
    ["admin", "admin", alpha],
    ["scientist", "data_scientist", alpha],
    ["moderator", "moderator", alpha],
    ["outsider", "admin", bravo],
  ] as const) {
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO app_user (email, name, password_hash, role) VALUES ($1, $1, 'x', 'moderator') RETURNING id`,
      [`${who}@x.test`],
    );
    await pool.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, $3::"Role")`, [workspaceId, rows[0]!.id, role]);
    tokens[who] = (await createSession(rows[0]!.id)).token;
  }
}, 60_000);
afterAll(async () => {
  await stopBoss({ graceful: false });
  await drop();
});

async function call(
  handler: unknown,
  opts: { rest: string; who: keyof typeof tokens; body?: unknown; key?: string; slug?: string; params?: Record<string, string> },
): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } }> {
  const slug = opts.slug ?? "alpha";
  const headers: Record<string, string> = { cookie: `modloop_session=${tokens[opts.who]}`, origin: ORIGIN, "content-type": "application/json" };
  if (opts.key) headers["Idempotency-Key"] = opts.key;
  const req = new Request(`${ORIGIN}/api/w/${slug}/${opts.rest}`, { method: "POST", headers, body: JSON.stringify(opts.body ?? {}) });
  const res = await (handler as THandler)(req, { params: Promise.resolve({ workspace: slug, ...opts.params }) });
  return { status: res.status, body: await res.json() };
}

const count = async (sql: string, params: unknown[] = []) => (await getPool().query<{ n: number }>(sql, params)).rows[0]!.n;
const queued = async (queue: string) => (await getBoss()).getQueueSize(queue);

describe("API keys", () => {
  const body = { name: "Game server", scopes: ["classify"] };
  const keys = () => count(`SELECT count(*)::int AS n FROM api_key WHERE workspace_id = $1`, [alpha]);

  it("a retried create mints one key and answers the same key again; the stored answer does not hold it in the clear", async () => {
    const key = newKey();
    const first = await call(createApiKey, { rest: "admin/api-keys", who: "admin", body, key });
    expect(first.status).toBe(200);
    const secret = (first.body.key as { key: string }).key;
    expect(secret).toMatch(/\S{20,}/);
    const retried = await call(createApiKey, { rest: "admin/api-keys", who: "admin", body, key });
    expect(retried).toEqual(first);
    expect(await keys()).toBe(1);
    // neither the secret nor the Idempotency-Key that would open the sealed answer is in the table
    const { rows } = await getPool().query<{ key: string; response: string }>(`SELECT key, response::text AS response FROM idempotent_request`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.response).not.toContain(secret);
      expect(row.key).not.toBe(key);
    }
  });

  it("the same key with another body is a 409; other roles and workspaces are refused; none of them mints a key", async () => {
    const key = newKey();
    expect((await call(createApiKey, { rest: "admin/api-keys", who: "admin", body, key })).status).toBe(200);
    const before = await keys();
    const other = await call(createApiKey, { rest: "admin/api-keys", who: "admin", body: { ...body, name: "Another" }, key });
    expect(other.status).toBe(409);
    expect(other.body.error?.message).toMatch(/Idempotency-Key/);
    // a data scientist, a moderator and an admin of another workspace are refused, with or without a key
    for (const [who, status] of [
      ["scientist", 403],
      ["moderator", 403],
      ["outsider", 404],
    ] as const) {
      expect({ who, status: (await call(createApiKey, { rest: "admin/api-keys", who, body, key: newKey() })).status }).toEqual({ who, status });
    }
    expect(await keys()).toBe(before);
  });

  it("a key used in one workspace is a 409 in another (the workspace is part of the request)", async () => {
    const key = newKey();
    await getPool().query(
      `INSERT INTO workspace_member (workspace_id, user_id, role) SELECT w.id, m.user_id, 'admin' FROM workspace w, workspace_member m
        WHERE w.slug = 'bravo' AND m.workspace_id = $1 AND m.role = 'admin'`,
      [alpha],
    );
    expect((await call(createApiKey, { rest: "admin/api-keys", who: "admin", body, key })).status).toBe(200);
    const elsewhere = await call(createApiKey, { rest: "admin/api-keys", who: "admin", body, key, slug: "bravo" });
    expect(elsewhere.status).toBe(409);
    expect(await count(`SELECT count(*)::int AS n FROM api_key k JOIN workspace w ON w.id = k.workspace_id WHERE w.slug = 'bravo'`)).toBe(0);
  });
});

describe("webhooks", () => {
  const body = { name: "Moderation bot", url: "https://receiver.example/hook", events: ["decision.final"] };
  const hooks = () => count(`SELECT count(*)::int AS n FROM webhook WHERE workspace_id = $1`, [alpha]);

  it("a retried create adds one webhook and answers the same signing secret; another body with the key is a 409", async () => {
    const key = newKey();
    const first = await call(createWebhook, { rest: "admin/webhooks", who: "admin", body, key });
    expect(first.status).toBe(200);
    expect(await call(createWebhook, { rest: "admin/webhooks", who: "admin", body, key })).toEqual(first);
    expect(await hooks()).toBe(1);
    expect((await call(createWebhook, { rest: "admin/webhooks", who: "admin", body: { ...body, name: "Other" }, key })).status).toBe(409);
    expect((await call(createWebhook, { rest: "admin/webhooks", who: "scientist", body, key: newKey() })).status).toBe(403);
    expect(await hooks()).toBe(1);
  });

  it("a retried redeliver queues one delivery job and answers as the first did (without a key the repeat is a 409)", async () => {
    const pool = getPool();
    const { rows: hook } = await pool.query<{ id: number }>(`SELECT id FROM webhook WHERE workspace_id = $1 LIMIT 1`, [alpha]);
    const { rows: event } = await pool.query<{ id: string }>(
      `INSERT INTO webhook_event (workspace_id, type, payload) VALUES ($1, 'decision.final', '{}') RETURNING id::text`,
      [alpha],
    );
    const { rows: delivery } = await pool.query<{ id: string }>(
      `INSERT INTO webhook_delivery (webhook_id, event_id, workspace_id, status, attempts) VALUES ($1, $2, $3, 'failed', 5) RETURNING id::text`,
      [hook[0]!.id, event[0]!.id, alpha],
    );
    const id = delivery[0]!.id;
    const rest = `admin/webhook-deliveries/${id}/redeliver`;
    const jobsBefore = await queued(QUEUES.webhook);
    const key = newKey();
    const first = await call(redeliver, { rest, who: "admin", key, params: { id } });
    expect(first).toEqual({ status: 200, body: { deliveryId: id } });
    expect(await call(redeliver, { rest, who: "admin", key, params: { id } })).toEqual(first);
    expect(await queued(QUEUES.webhook)).toBe(jobsBefore + 1);
    expect((await call(redeliver, { rest, who: "admin", params: { id } })).status).toBe(409);
    expect((await call(redeliver, { rest, who: "moderator", key: newKey(), params: { id } })).status).toBe(403);
    expect((await call(redeliver, { rest, who: "outsider", key: newKey(), params: { id } })).status).toBe(404);
    expect(await queued(QUEUES.webhook)).toBe(jobsBefore + 1);
  });
});

describe("dataset snapshots", () => {
  const snapshots = () => count(`SELECT count(*)::int AS n FROM dataset_snapshot WHERE workspace_id = $1`, [alpha]);
  const exports = () => count(`SELECT count(*)::int AS n FROM export_log WHERE workspace_id = $1`, [alpha]);

  it("a retried create records one snapshot, one export and one job, and answers 202 with the same snapshot", async () => {
    const body = { params: { name: "retried" } };
    const key = newKey();
    const jobsBefore = await queued(QUEUES.snapshot);
    const first = await call(createSnapshot, { rest: "datasets/snapshots", who: "scientist", body, key });
    expect(first.status).toBe(202);
    expect(await call(createSnapshot, { rest: "datasets/snapshots", who: "scientist", body, key })).toEqual(first);
    expect(await snapshots()).toBe(1);
    expect(await exports()).toBe(1);
    // queued after the commit: the job's snapshot row exists for the worker that takes it
    expect(await queued(QUEUES.snapshot)).toBe(jobsBefore + 1);
    const other = await call(createSnapshot, { rest: "datasets/snapshots", who: "scientist", body: { params: { name: "other" } }, key });
    expect(other.status).toBe(409);
    expect((await call(createSnapshot, { rest: "datasets/snapshots", who: "moderator", body, key: newKey() })).status).toBe(403);
    expect(await snapshots()).toBe(1);
  });
});

describe("excerpt batch import", () => {
  const records = [
    { text: "first line of the batch", external_id: "batch-1" },
    { text: "second line of the batch", external_id: "batch-2", label: "Insult" },
  ];
  const batches = () => count(`SELECT count(*)::int AS n FROM import_batch WHERE workspace_id = $1`, [alpha]);
  const rows = () => count(`SELECT count(*)::int AS n FROM excerpt WHERE workspace_id = $1 AND external_id LIKE 'batch-%'`, [alpha]);
  const labels = () =>
    count(`SELECT count(*)::int AS n FROM decision d JOIN excerpt e ON e.id = d.excerpt_id WHERE e.workspace_id = $1 AND e.external_id LIKE 'batch-%'`, [
      alpha,
    ]);

  it("a retried batch answers the first summary and records no second import; without a key the rows still are not doubled", async () => {
    const key = newKey();
    const first = await call(importExcerpts, { rest: "excerpts", who: "scientist", body: { records }, key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ insertedRows: 2, duplicateRows: 0, labelledRows: 1 });
    expect(await call(importExcerpts, { rest: "excerpts", who: "scientist", body: { records }, key })).toEqual(first);
    expect(await batches()).toBe(1);
    expect(await rows()).toBe(2);
    expect(await labels()).toBe(1);
    // a script that sends no key: the external ids still keep the rows (and their labels) single
    const unkeyed = await call(importExcerpts, { rest: "excerpts", who: "scientist", body: { records } });
    expect(unkeyed.body).toMatchObject({ insertedRows: 0, duplicateRows: 2 });
    expect(await rows()).toBe(2);
    expect(await labels()).toBe(1);
    expect((await call(importExcerpts, { rest: "excerpts", who: "scientist", body: { records: records.slice(1) }, key })).status).toBe(409);
    expect((await call(importExcerpts, { rest: "excerpts", who: "moderator", body: { records }, key: newKey() })).status).toBe(403);
    expect((await call(importExcerpts, { rest: "excerpts", who: "outsider", body: { records }, key: newKey() })).status).toBe(404);
    expect(await batches()).toBe(2);
  });
});

describe("model promotion and rollback", () => {
  let v1: number;
  let v2: number;
  const active = async () =>
    (await getPool().query<{ id: number | null }>(`SELECT active_model_version_id AS id FROM workspace WHERE id = $1`, [alpha])).rows[0]!.id;

  beforeAll(async () => {
    const cats = (await getPool().query<{ id: number }>(`SELECT id FROM category WHERE workspace_id = $1 ORDER BY id`, [alpha])).rows.map((r) => r.id);
    // metrics.evaluation present: promotion does not evaluate these placeholder models
    const { rows } = await getPool().query<{ id: number }>(
      `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids, metrics)
       VALUES ($1, 'v1', 'hashed-linear', 'candidate', '{"nonToxicIndex":0}', '\\x00', $2, '{"evaluation":{}}'),
              ($1, 'v2', 'hashed-linear', 'candidate', '{"nonToxicIndex":0}', '\\x00', $2, '{"evaluation":{}}')
       RETURNING id`,
      [alpha, cats],
    );
    [v1, v2] = [rows[0]!.id, rows[1]!.id];
  });

  it("a retried promotion activates once and answers as the first did; a stale expected version is a 409", async () => {
    const key = newKey();
    const body = { isConfirmed: false, expectedActiveId: null };
    const rest = `models/${v1}/promote`;
    const first = await call(promote, { rest, who: "scientist", body, key, params: { id: String(v1) } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ modelVersionId: v1, previousActiveId: null });
    const promotedAt = async () => (await getPool().query(`SELECT promoted_at FROM model_version WHERE id = $1`, [v1])).rows[0].promoted_at;
    const at = await promotedAt();
    expect(await call(promote, { rest, who: "scientist", body, key, params: { id: String(v1) } })).toEqual(first);
    expect(await promotedAt()).toEqual(at);
    expect(await active()).toBe(v1);
    // another tab still thinks nothing is active: refused, v1 stays
    const stale = await call(promote, { rest: `models/${v2}/promote`, who: "scientist", body, key: newKey(), params: { id: String(v2) } });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.message).toMatch(/active model changed since you looked.*v1/);
    expect(await active()).toBe(v1);
    expect((await call(promote, { rest, who: "scientist", body: { ...body, isConfirmed: true }, key, params: { id: String(v1) } })).status).toBe(409);
    expect((await call(promote, { rest: `models/${v2}/promote`, who: "moderator", body, key: newKey(), params: { id: String(v2) } })).status).toBe(403);
    expect(await active()).toBe(v1);
  });

  it("a retried rollback rolls back once (a second would toggle back); a stale expected version is a 409", async () => {
    // v2 became active after v1
    await getPool().query(`UPDATE model_version SET status = 'archived' WHERE id = $1`, [v1]);
    await getPool().query(`UPDATE model_version SET status = 'active', promoted_at = now() + interval '1 second' WHERE id = $1`, [v2]);
    await getPool().query(`UPDATE workspace SET active_model_version_id = $2 WHERE id = $1`, [alpha, v2]);
    const key = newKey();
    const first = await call(rollback, { rest: "models/rollback", who: "scientist", body: { expectedActiveId: v2 }, key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ modelVersionId: v1, previousActiveId: v2 });
    expect(await call(rollback, { rest: "models/rollback", who: "scientist", body: { expectedActiveId: v2 }, key })).toEqual(first);
    expect(await active()).toBe(v1);
    const stale = await call(rollback, { rest: "models/rollback", who: "scientist", body: { expectedActiveId: v2 }, key: newKey() });
    expect(stale.status).toBe(409);
    expect(await active()).toBe(v1);
    expect((await call(rollback, { rest: "models/rollback", who: "moderator", body: { expectedActiveId: v1 }, key: newKey() })).status).toBe(403);
    expect((await call(rollback, { rest: "models/rollback", who: "outsider", body: { expectedActiveId: v1 }, key: newKey() })).status).toBe(404);
    expect(await active()).toBe(v1);
  });
});
