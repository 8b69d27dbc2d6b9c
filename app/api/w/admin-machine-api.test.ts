import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/server/auth/session.ts";
import { getPool } from "@/server/db/pool.ts";
import { createTestDatabase } from "@/server/test/test-db.ts";
import * as keys from "./[workspace]/admin/api-keys/route.ts";
import * as keyById from "./[workspace]/admin/api-keys/[id]/route.ts";
import * as hooks from "./[workspace]/admin/webhooks/route.ts";
import * as hookById from "./[workspace]/admin/webhooks/[id]/route.ts";
import * as deliveries from "./[workspace]/admin/webhook-deliveries/route.ts";
import * as redeliver from "./[workspace]/admin/webhook-deliveries/[id]/redeliver/route.ts";
import * as serving from "./[workspace]/admin/serving/route.ts";
import * as attribute from "./[workspace]/admin/serving/categories/[id]/route.ts";

/**
 * The admin routes of the machine API (issue 11), through real requests against a real database:
 * keys shown once and never listed, secrets likewise, bad input 422 naming the field with nothing
 * written, moderators refused (403). Other workspaces: app/api/w/workspace-routes.test.ts.
 */

type THandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ORIGIN = "http://modloop.test";
let drop: () => Promise<void>;
let adminToken: string;
let moderatorToken: string;
let workspaceId: number;
let insultId: number;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const pool = getPool();
  workspaceId = (await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('alpha', 'Alpha') RETURNING id`)).rows[0]!.id;
  await pool.query(
    `INSERT INTO category (workspace_id, name, color, hotkey, sort_order, is_non_toxic)
     VALUES ($1, 'Fine', '#16a34a', 1, 10, true), ($1, 'Insult', '#f97316', 2, 20, false)`,
    [workspaceId],
  );
  insultId = (await pool.query<{ id: number }>(`SELECT id FROM category WHERE name = 'Insult'`)).rows[0]!.id;
  const user = async (email: string, role: string) => {
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO app_user (email, name, password_hash, role) VALUES ($1, $1, 'x', 'moderator') RETURNING id`,
      [email],
    );
    await pool.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, $3::"Role")`, [workspaceId, rows[0]!.id, role]);
    return (await createSession(rows[0]!.id)).token;
  };
  adminToken = await user("admin@x.test", "admin");
  moderatorToken = await user("mod@x.test", "moderator");
});
afterAll(() => drop());

async function call(handler: unknown, opts: { method: string; path: string; token?: string; body?: unknown; params?: Record<string, string> }) {
  const hasBody = opts.body !== undefined;
  const req = new Request(`${ORIGIN}/api/w/alpha/${opts.path}`, {
    method: opts.method,
    headers: { cookie: `modloop_session=${opts.token ?? adminToken}`, origin: ORIGIN, ...(hasBody ? { "content-type": "application/json" } : {}) },
    body: hasBody ? JSON.stringify(opts.body) : undefined,
  });
  const res = await (handler as THandler)(req, { params: Promise.resolve({ workspace: "alpha", ...opts.params }) });
  return { status: res.status, text: await res.text() };
}
const count = async (table: string) => Number((await getPool().query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);

describe("admin API keys", () => {
  it("creates a key that is in the answer once and never in the list, and revokes it", async () => {
    const created = await call(keys.POST, {
      method: "POST",
      path: "admin/api-keys",
      body: { name: "Game server", scopes: ["classify"], rateLimitPerMinute: 600 },
    });
    expect(created.status).toBe(200);
    const { key } = JSON.parse(created.text) as { key: { id: number; key: string; prefix: string; status: string; scopes: string[] } };
    expect(key.key).toMatch(/^\S{20,}$/);
    expect(key.key.startsWith(key.prefix)).toBe(true);
    expect(key).toMatchObject({ status: "active", scopes: ["classify"] });
    const listed = await call(keys.GET, { method: "GET", path: "admin/api-keys" });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(key.key);
    expect(listed.text).not.toContain("keyHash");
    expect(JSON.parse(listed.text).keys).toEqual([expect.objectContaining({ id: key.id, prefix: key.prefix, status: "active" })]);
    expect(JSON.parse(listed.text).keys[0].key).toBeUndefined();

    const revoked = await call(keyById.DELETE, { method: "DELETE", path: `admin/api-keys/${key.id}`, params: { id: String(key.id) } });
    expect(revoked.status).toBe(200);
    expect(JSON.parse(revoked.text).key).toMatchObject({ id: key.id, status: "revoked" });
    const again = await call(keyById.DELETE, { method: "DELETE", path: `admin/api-keys/${key.id}`, params: { id: String(key.id) } });
    expect(JSON.parse(again.text).key.revokedAt).toBe(JSON.parse(revoked.text).key.revokedAt);
    const missing = await call(keyById.DELETE, { method: "DELETE", path: "admin/api-keys/999999", params: { id: "999999" } });
    expect(missing.status).toBe(404);
  });

  it("bad input is a 422 naming the field, and writes nothing", async () => {
    const before = await count("api_key");
    for (const [body, field] of [
      [{ name: "", scopes: ["classify"] }, "body.name"],
      [{ name: "k", scopes: ["everything"] }, "body.scopes"],
      [{ name: "k", scopes: [] }, "body.scopes"],
      [{ name: "k", rateLimitPerMinute: 0 }, "body.rateLimitPerMinute"],
      [{ name: "k", expiresAt: "2001-01-01T00:00:00Z" }, "expiresAt"],
      [{ name: "k", extra: 1 }, "extra"],
    ] as const) {
      const res = await call(keys.POST, { method: "POST", path: "admin/api-keys", body });
      expect({ field, status: res.status }).toEqual({ field, status: 422 });
      expect(JSON.parse(res.text).error.message).toContain(field);
    }
    expect(await count("api_key")).toBe(before);
  });

  it("a moderator is refused (403) and nothing is written; a cross-site POST is refused", async () => {
    const before = await count("api_key");
    expect((await call(keys.GET, { method: "GET", path: "admin/api-keys", token: moderatorToken })).status).toBe(403);
    expect((await call(keys.POST, { method: "POST", path: "admin/api-keys", token: moderatorToken, body: { name: "k" } })).status).toBe(403);
    const req = new Request(`${ORIGIN}/api/w/alpha/admin/api-keys`, {
      method: "POST",
      headers: { cookie: `modloop_session=${adminToken}`, origin: "https://evil.test", "content-type": "application/json" },
      body: JSON.stringify({ name: "csrf" }),
    });
    expect((await (keys.POST as THandler)(req, { params: Promise.resolve({ workspace: "alpha" }) })).status).toBe(403);
    expect(await count("api_key")).toBe(before);
  });
});

describe("admin webhooks", () => {
  it("creates a webhook whose secret is shown once, lists, patches, shows the delivery log and deletes it", async () => {
    const created = await call(hooks.POST, {
      method: "POST",
      path: "admin/webhooks",
      body: { name: "Discord bot", url: "https://hooks.example.com/modloop", events: ["decision.final"] },
    });
    expect(created.status).toBe(200);
    const { webhook } = JSON.parse(created.text) as { webhook: { id: number; secret: string } };
    expect(webhook.secret).toMatch(/^whsec_/);
    const listed = await call(hooks.GET, { method: "GET", path: "admin/webhooks" });
    expect(listed.text).not.toContain(webhook.secret);
    expect(JSON.parse(listed.text).webhooks).toEqual([expect.objectContaining({ id: webhook.id, url: "https://hooks.example.com/modloop", isActive: true })]);

    const patched = await call(hookById.PATCH, {
      method: "PATCH",
      path: `admin/webhooks/${webhook.id}`,
      params: { id: String(webhook.id) },
      body: { isActive: false },
    });
    expect(patched.status).toBe(200);
    expect(JSON.parse(patched.text).webhook).toMatchObject({ id: webhook.id, isActive: false });

    const log = await call(deliveries.GET, { method: "GET", path: `admin/webhook-deliveries?webhookId=${webhook.id}` });
    expect(log.status).toBe(200);
    expect(JSON.parse(log.text)).toEqual({ deliveries: [], next: null });
    const badQuery = await call(deliveries.GET, { method: "GET", path: "admin/webhook-deliveries?status=lost" });
    expect(badQuery.status).toBe(422);
    expect(badQuery.text).toContain("query.status");
    const noDelivery = await call(redeliver.POST, { method: "POST", path: "admin/webhook-deliveries/12345/redeliver", params: { id: "12345" } });
    expect(noDelivery.status).toBe(404);

    const deleted = await call(hookById.DELETE, { method: "DELETE", path: `admin/webhooks/${webhook.id}`, params: { id: String(webhook.id) } });
    expect(deleted.status).toBe(200);
    expect(await count("webhook")).toBe(0);
  });

  it("a non-https URL or no events is a 422 naming the field, and writes nothing", async () => {
    const before = await count("webhook");
    const http = await call(hooks.POST, { method: "POST", path: "admin/webhooks", body: { url: "http://hooks.example.com/x", events: ["decision.final"] } });
    expect(http.status).toBe(422);
    expect(http.text.toLowerCase()).toContain("https");
    const noEvents = await call(hooks.POST, { method: "POST", path: "admin/webhooks", body: { url: "https://hooks.example.com/x", events: [] } });
    expect(noEvents.status).toBe(422);
    expect(noEvents.text).toContain("body.events");
    expect(await count("webhook")).toBe(before);
    expect((await call(hooks.GET, { method: "GET", path: "admin/webhooks", token: moderatorToken })).status).toBe(403);
  });
});

describe("admin machine-API settings", () => {
  it("reads and saves routing settings and a category's attribute; bad values are 422 naming the field", async () => {
    const got = await call(serving.GET, { method: "GET", path: "admin/serving" });
    expect(got.status).toBe(200);
    expect(JSON.parse(got.text).attributes).toHaveLength(2);
    const saved = await call(serving.PUT, { method: "PUT", path: "admin/serving", body: { routeAuditShare: 0.25, routeUncertainMargin: null } });
    expect(saved.status).toBe(200);
    expect(JSON.parse(saved.text)).toMatchObject({ routeAuditShare: 0.25, routeUncertainMargin: null });
    const bad = await call(serving.PUT, { method: "PUT", path: "admin/serving", body: { routeAuditShare: 2 } });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("routeAuditShare");
    expect(JSON.parse((await call(serving.GET, { method: "GET", path: "admin/serving" })).text).routeAuditShare).toBe(0.25);

    const mapped = await call(attribute.PUT, {
      method: "PUT",
      path: `admin/serving/categories/${insultId}`,
      params: { id: String(insultId) },
      body: { attribute: "insult" },
    });
    expect(mapped.status).toBe(200);
    expect(JSON.parse(mapped.text).attributes).toContainEqual(expect.objectContaining({ categoryId: insultId, attribute: "INSULT", isExplicit: true }));
    const taken = await call(attribute.PUT, {
      method: "PUT",
      path: `admin/serving/categories/${insultId}`,
      params: { id: String(insultId) },
      body: { attribute: "TOXICITY" },
    });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain("attribute");
    expect((await call(serving.PUT, { method: "PUT", path: "admin/serving", token: moderatorToken, body: { routeAuditShare: 0.9 } })).status).toBe(403);
  });
});
