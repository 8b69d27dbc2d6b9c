import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/server/auth/session.ts";
import { getPool } from "@/server/db/pool.ts";
import { stopBoss } from "@/server/jobs/boss.ts";
import { releaseModelSessions } from "@/server/model/load-model-session.ts";
import { createTestDatabase } from "@/server/test/test-db.ts";
import { POST as createUser } from "../admin/users/route.ts";
import { POST as createCategory } from "./[workspace]/admin/categories/route.ts";
import { PATCH as changeWebhook } from "./[workspace]/admin/webhooks/[id]/route.ts";
import { POST as importFile } from "./[workspace]/imports/route.ts";
import { PUT as setMember } from "./[workspace]/members/[id]/route.ts";
import { PUT as addMember } from "./[workspace]/members/route.ts";
import { POST as uploadModel } from "./[workspace]/models/upload/route.ts";

/**
 * The admin and scientist writes keyed after idempotent-routes.test.ts (issue 13: retries never double
 * anything), through the real route modules with real requests against a real database: a retry with the
 * same Idempotency-Key answers the first answer and writes nothing more, the same key with another
 * request (for uploads: another file, however the form is re-encoded) is a 409, and a role or workspace
 * that may not call the route is refused before anything is written.
 */

type THandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ORIGIN = "http://modloop.test";
const BUNDLE = path.resolve(import.meta.dirname, "../../../server/model/transformer/fixtures/tiny-bundle");

let drop: () => Promise<void>;
let alpha: number;
const tokens: Record<"admin" | "scientist" | "moderator" | "outsider", string> = { admin: "", scientist: "", moderator: "", outsider: "" };
let keySeq = 0;
const newKey = () => `idem-admin-test-${++keySeq}-${Date.now()}`;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const pool = getPool();
  const { rows: ws } = await pool.query<{ id: number; slug: string }>(
    `INSERT INTO workspace (slug, name) VALUES ('alpha', 'Alpha'), ('bravo', 'Bravo') RETURNING id, slug`,
  );
  alpha = ws.find((w) => w.slug === "alpha")!.id;
  const bravo = ws.find((w) => w.slug === "bravo")!.id;
  for (const id of [alpha, bravo]) {
    // the tiny model fixture's labels
    await pool.query(
      `INSERT INTO category (workspace_id, name, color, hotkey, sort_order, is_non_toxic)
       VALUES ($1, 'Non-toxic', '#16a34a', 1, 10, true), ($1, 'Insult', '#f97316', 2, 20, false), ($1, 'Threat', '#dc2626', 3, 30, false)`,
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
  await releaseModelSessions();
  await stopBoss({ graceful: false });
  await drop();
});

type TAnswer = { status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } };

/** JSON, or a FormData body (re-encoded with a new boundary on every call, as a browser's retry is). */
async function call(
  handler: unknown,
  opts: {
    rest: string;
    who: keyof typeof tokens;
    method?: string;
    body?: unknown;
    form?: () => FormData;
    key?: string;
    slug?: string;
    params?: Record<string, string>;
  },
): Promise<TAnswer> {
  const slug = opts.slug ?? "alpha";
  const headers: Record<string, string> = { cookie: `modloop_session=${tokens[opts.who]}`, origin: ORIGIN };
  if (!opts.form) headers["content-type"] = "application/json";
  if (opts.key) headers["Idempotency-Key"] = opts.key;
  const body = opts.form ? opts.form() : JSON.stringify(opts.body ?? {});
  const req = new Request(`${ORIGIN}/api/w/${slug}/${opts.rest}`, { method: opts.method ?? "POST", headers, body });
  const res = await (handler as THandler)(req, { params: Promise.resolve({ workspace: slug, ...opts.params }) });
  return { status: res.status, body: await res.json() };
}

const count = async (sql: string, params: unknown[] = []) => (await getPool().query<{ n: number }>(sql, params)).rows[0]!.n;
const storedAnswers = async () => (await getPool().query<{ response: string }>(`SELECT response::text AS response FROM idempotent_request`)).rows;

describe("taxonomy category create", () => {
  const body = { name: "Spam", color: "#0ea5e9", hotkey: 4 };
  const named = () => count(`SELECT count(*)::int AS n FROM category WHERE workspace_id = $1 AND name = 'Spam'`, [alpha]);

  it("a retried create stores one category and answers it again (not a 409 on its own name); another body with the key is a 409", async () => {
    const key = newKey();
    const first = await call(createCategory, { rest: "admin/categories", who: "admin", body, key });
    expect(first.status).toBe(200);
    expect(first.body.category).toMatchObject({ name: "Spam", hotkey: 4 });
    expect(await call(createCategory, { rest: "admin/categories", who: "admin", body, key })).toEqual(first);
    expect(await named()).toBe(1);
    expect((await call(createCategory, { rest: "admin/categories", who: "admin", body: { ...body, name: "Scam" }, key })).status).toBe(409);
    for (const [who, status] of [
      ["scientist", 403],
      ["outsider", 404],
    ] as const) {
      const refused = await call(createCategory, { rest: "admin/categories", who, body: { ...body, name: "Other" }, key: newKey() });
      expect({ who, status: refused.status }).toEqual({ who, status });
    }
    expect(await count(`SELECT count(*)::int AS n FROM category WHERE name IN ('Scam', 'Other')`)).toBe(0);
  });
});

describe("account create (Admin → Users, instance-level)", () => {
  const body = { email: "new.person@x.test", name: "New Person", role: "moderator", password: "a long enough passphrase 42", workspace: "alpha" };
  const accounts = () => count(`SELECT count(*)::int AS n FROM app_user WHERE email = 'new.person@x.test'`);

  it("a retried create makes one account and membership and answers it again (not a 409 on its own email); another body with the key is a 409", async () => {
    await getPool().query(`UPDATE app_user SET role = 'admin' WHERE email = 'admin@x.test'`);
    const key = newKey();
    const first = await call(createUser, { rest: "unused", who: "admin", body, key });
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ email: body.email });
    expect(await call(createUser, { rest: "unused", who: "admin", body, key })).toEqual(first);
    expect(await accounts()).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM workspace_member m JOIN app_user u ON u.id = m.user_id WHERE u.email = $1`, [body.email])).toBe(1);
    // a key row without a workspace, whose request hash is no plain hash of the body (it holds a password)
    const { rows } = await getPool().query<{ workspace_id: number | null; request_hash: string }>(
      `SELECT workspace_id, request_hash FROM idempotent_request WHERE operation = 'users.create'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.workspace_id).toBeNull();
    expect((await call(createUser, { rest: "unused", who: "admin", body: { ...body, name: "Someone Else" }, key })).status).toBe(409);
    // an admin of one workspace is not an instance admin
    expect((await call(createUser, { rest: "unused", who: "outsider", body: { ...body, email: "x2@x.test" }, key: newKey() })).status).toBe(403);
    expect(await count(`SELECT count(*)::int AS n FROM app_user WHERE email = 'x2@x.test'`)).toBe(0);
  });
});

describe("workspace members", () => {
  let personId: number;
  const roleOf = async () =>
    (await getPool().query<{ role: string }>(`SELECT role::text FROM workspace_member WHERE workspace_id = $1 AND user_id = $2`, [alpha, personId])).rows[0]
      ?.role;

  beforeAll(async () => {
    personId = (await getPool().query<{ id: number }>(`INSERT INTO app_user (email, name, password_hash) VALUES ('person@x.test', 'Person', 'x') RETURNING id`))
      .rows[0]!.id;
  });

  it("a retried add answers the first answer and does not undo a role change made since; another body with the key is a 409", async () => {
    const key = newKey();
    const body = { email: "person@x.test", role: "moderator" };
    const first = await call(addMember, { rest: "members", who: "admin", method: "PUT", body, key });
    expect(first.status).toBe(200);
    expect(first.body.member).toMatchObject({ userId: personId, role: "moderator" });
    // another admin action in between: the late retry of the add must not set the role back
    await getPool().query(`UPDATE workspace_member SET role = 'manager' WHERE workspace_id = $1 AND user_id = $2`, [alpha, personId]);
    expect(await call(addMember, { rest: "members", who: "admin", method: "PUT", body, key })).toEqual(first);
    expect(await roleOf()).toBe("manager");
    expect((await call(addMember, { rest: "members", who: "admin", method: "PUT", body: { ...body, role: "admin" }, key })).status).toBe(409);
    expect((await call(addMember, { rest: "members", who: "scientist", method: "PUT", body: { ...body, role: "admin" }, key: newKey() })).status).toBe(403);
    expect((await call(addMember, { rest: "members", who: "outsider", method: "PUT", body: { ...body, role: "admin" }, key: newKey() })).status).toBe(404);
    expect(await roleOf()).toBe("manager");
  });

  it("a retried role change by id answers the first answer and does not undo a later change", async () => {
    const key = newKey();
    const rest = `members/${personId}`;
    const params = { id: String(personId) };
    const first = await call(setMember, { rest, who: "admin", method: "PUT", body: { role: "data_scientist" }, key, params });
    expect(first.body.member).toMatchObject({ role: "data_scientist" });
    await getPool().query(`UPDATE workspace_member SET role = 'moderator' WHERE workspace_id = $1 AND user_id = $2`, [alpha, personId]);
    expect(await call(setMember, { rest, who: "admin", method: "PUT", body: { role: "data_scientist" }, key, params })).toEqual(first);
    expect(await roleOf()).toBe("moderator");
    expect((await call(setMember, { rest, who: "admin", method: "PUT", body: { role: "admin" }, key, params })).status).toBe(409);
    expect((await call(setMember, { rest, who: "scientist", method: "PUT", body: { role: "admin" }, key: newKey(), params })).status).toBe(403);
    expect(await roleOf()).toBe("moderator");
  });
});

describe("webhook secret rotation", () => {
  it("a retried rotation rotates once and answers the same new secret, stored sealed; another body with the key is a 409", async () => {
    const pool = getPool();
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO webhook (workspace_id, name, url, secret, events) VALUES ($1, 'Bot', 'https://receiver.example/hook', 'whsec_old', '{decision.final}') RETURNING id`,
      [alpha],
    );
    const id = String(rows[0]!.id);
    const secretOf = async () => (await pool.query<{ secret: string }>(`SELECT secret FROM webhook WHERE id = $1`, [id])).rows[0]!.secret;
    const key = newKey();
    const rotate = { rotateSecret: true };
    const first = await call(changeWebhook, { rest: `admin/webhooks/${id}`, who: "admin", method: "PATCH", body: rotate, key, params: { id } });
    expect(first.status).toBe(200);
    const secret = (first.body.webhook as { secret: string }).secret;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe("whsec_old");
    expect(await call(changeWebhook, { rest: `admin/webhooks/${id}`, who: "admin", method: "PATCH", body: rotate, key, params: { id } })).toEqual(first);
    // the receiver was given `secret` once: a retry must not have replaced it with one nobody saw
    expect(await secretOf()).toBe(secret);
    for (const row of await storedAnswers()) expect(row.response).not.toContain(secret);
    const other = await call(changeWebhook, { rest: `admin/webhooks/${id}`, who: "admin", method: "PATCH", body: { isActive: false }, key, params: { id } });
    expect(other.status).toBe(409);
    expect(
      (await call(changeWebhook, { rest: `admin/webhooks/${id}`, who: "scientist", method: "PATCH", body: rotate, key: newKey(), params: { id } })).status,
    ).toBe(403);
    expect(
      (await call(changeWebhook, { rest: `admin/webhooks/${id}`, who: "outsider", method: "PATCH", body: rotate, key: newKey(), params: { id } })).status,
    ).toBe(404);
    expect(await secretOf()).toBe(secret);
  });
});

describe("file import (CSV upload)", () => {
  const marker = "a-line-only-the-upload-holds";
  const csv = (extra = "") => `text,external_id\n${marker} one,up-1\n${marker} two,up-2\n${extra}`;
  const form = (file: string) => () => {
    const f = new FormData();
    f.set("format", "csv");
    f.set("mapping", JSON.stringify({ text: "text", external_id: "external_id" }));
    f.set("file", new Blob([file], { type: "text/csv" }), "lines.csv");
    return f;
  };
  const batches = () => count(`SELECT count(*)::int AS n FROM import_batch WHERE workspace_id = $1`, [alpha]);

  it("a retried upload records one import and answers the first summary (stored, not the file); another file with the key is a 409", async () => {
    const key = newKey();
    const first = await call(importFile, { rest: "imports", who: "admin", form: form(csv()), key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ insertedRows: 2 });
    // the retry's form is encoded again, with another boundary: still the same request
    expect(await call(importFile, { rest: "imports", who: "admin", form: form(csv()), key })).toEqual(first);
    expect(await batches()).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM excerpt WHERE workspace_id = $1 AND external_id LIKE 'up-%'`, [alpha])).toBe(2);
    const stored = (await storedAnswers()).filter((r) => r.response.includes('"insertedRows"'));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.response).not.toContain(marker);
    const other = await call(importFile, { rest: "imports", who: "admin", form: form(csv(`${marker} three,up-3\n`)), key });
    expect(other.status).toBe(409);
    expect((await call(importFile, { rest: "imports", who: "scientist", form: form(csv()), key: newKey() })).status).toBe(403);
    expect((await call(importFile, { rest: "imports", who: "outsider", form: form(csv()), key: newKey() })).status).toBe(404);
    expect(await batches()).toBe(1);
  });
});

describe("model upload (ONNX folder)", () => {
  let files: { name: string; bytes: Uint8Array }[];
  const form = (parts: { name: string; bytes: Uint8Array }[]) => () => {
    const f = new FormData();
    for (const p of parts) f.append("files", new Blob([new Uint8Array(p.bytes)]), p.name);
    return f;
  };
  const versions = () => count(`SELECT count(*)::int AS n FROM model_version WHERE workspace_id = $1`, [alpha]);

  beforeAll(async () => {
    files = await Promise.all(
      ["manifest.json", "model.onnx", "tokenizer.json"].map(async (name) => ({ name, bytes: new Uint8Array(await readFile(path.join(BUNDLE, name))) })),
    );
  });

  it("a retried upload registers one version and answers the first registration (stored, not the files); other files with the key are a 409", async () => {
    const key = newKey();
    const first = await call(uploadModel, { rest: "models/upload", who: "scientist", form: form(files), key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: "tiny-fixture" });
    expect(await call(uploadModel, { rest: "models/upload", who: "scientist", form: form(files), key })).toEqual(first);
    expect(await versions()).toBe(1);
    const stored = (await storedAnswers()).find((r) => r.response.includes("tiny-fixture"));
    expect(stored!.response.length).toBeLessThan(2_000);
    const manifest = JSON.parse(new TextDecoder().decode(files[0]!.bytes));
    const renamed = [{ name: "manifest.json", bytes: new TextEncoder().encode(JSON.stringify({ ...manifest, version: "tiny-2" })) }, ...files.slice(1)];
    expect((await call(uploadModel, { rest: "models/upload", who: "scientist", form: form(renamed), key })).status).toBe(409);
    expect((await call(uploadModel, { rest: "models/upload", who: "moderator", form: form(renamed), key: newKey() })).status).toBe(403);
    expect((await call(uploadModel, { rest: "models/upload", who: "outsider", form: form(renamed), key: newKey() })).status).toBe(404);
    expect(await versions()).toBe(1);
  }, 60_000);
});
