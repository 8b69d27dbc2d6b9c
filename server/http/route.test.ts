import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSemaphore } from "@/lib/async/semaphore.ts";
import { POST as login } from "@/app/api/auth/login/route.ts";
import { POST as createCategory } from "@/app/api/w/[workspace]/admin/categories/route.ts";
import { GET as getCategories } from "@/app/api/w/[workspace]/categories/route.ts";
import { GET as diffSnapshots } from "@/app/api/w/[workspace]/datasets/diff/route.ts";
import { GET as getExcerpt } from "@/app/api/w/[workspace]/excerpts/[id]/route.ts";
import { GET as searchExcerpts } from "@/app/api/w/[workspace]/excerpts/search/route.ts";
import { GET as getImport } from "@/app/api/w/[workspace]/imports/[id]/route.ts";
import { POST as claim } from "@/app/api/w/[workspace]/queue/claim/route.ts";
import { POST as decide } from "@/app/api/w/[workspace]/queue/decisions/route.ts";
import { createSession } from "../auth/session.ts";
import { hashPassword } from "../auth/password.ts";
import { busyError, getPool } from "../db/pool.ts";
import { serveFastLane, type TRouteHandler } from "./fast-lane.ts";
import { withRoute } from "./route.ts";
import { createTestDatabase } from "../test/test-db.ts";

/**
 * The wrapper's request guards (issue 12, findings 1, 4 and 9), through the real route modules with
 * real requests against a real database: CSRF (Origin / Sec-Fetch-Site), JSON only as
 * application/json, body limits enforced while reading, ids outside the database's range, and
 * validation messages that name the part of the request.
 */

const ORIGIN = "http://modloop.test";
type THandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

let drop: () => Promise<void>;
let adminToken: string;
const PASSWORD = "quartz-lantern-meadow-42";

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const pool = getPool();
  const { rows } = await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('ws', 'WS') RETURNING id`);
  await pool.query(`INSERT INTO category (workspace_id, name, color, hotkey, sort_order, is_non_toxic) VALUES ($1, 'Fine', '#16a34a', 1, 10, true)`, [
    rows[0]!.id,
  ]);
  const { rows: users } = await pool.query<{ id: number }>(
    `INSERT INTO app_user (email, name, password_hash, role) VALUES ('root@x.test', 'Root', $1, 'admin') RETURNING id`,
    [await hashPassword(PASSWORD)],
  );
  adminToken = (await createSession(users[0]!.id)).token;
});
afterAll(() => drop());

const categoryCount = async () => (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM category`)).rows[0]!.n;

function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: BodyInit; isSignedIn?: boolean } = {}) {
  return new Request(`${ORIGIN}${path}`, {
    method: init.method ?? "GET",
    headers: { ...(init.isSignedIn === false ? {} : { cookie: `modloop_session=${adminToken}` }), ...init.headers },
    body: init.body,
    duplex: "half",
  } as RequestInit);
}
const params = (p: Record<string, string>) => ({ params: Promise.resolve({ workspace: "ws", ...p }) });
const post = (handler: THandler, path: string, headers: Record<string, string>, body: BodyInit, p: Record<string, string> = {}) =>
  handler(request(path, { method: "POST", headers, body }), params(p));

describe("CSRF (finding 4)", () => {
  const json = JSON.stringify({ name: "Forged" });

  it("refuses a state-changing request from another origin, or with no origin at all, and writes nothing", async () => {
    const before = await categoryCount();
    for (const headers of <Record<string, string>[]>[
      { origin: "http://modloop.test:4000", "content-type": "application/json" }, // same site, another port
      { origin: "https://evil.example", "content-type": "application/json" },
      { "content-type": "application/json" },
      { "sec-fetch-site": "same-site", "content-type": "application/json" },
      { origin: "null", "content-type": "application/json" },
    ]) {
      const res = await post(createCategory as THandler, "/api/w/ws/admin/categories", headers, json);
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toMatch(/Cross-origin request refused/);
    }
    expect(await categoryCount()).toBe(before);
  });

  it("accepts the app's own origin, or Sec-Fetch-Site: same-origin when a browser leaves Origin out", async () => {
    const a = await post(
      createCategory as THandler,
      "/api/w/ws/admin/categories",
      { origin: ORIGIN, "content-type": "application/json" },
      JSON.stringify({ name: "One" }),
    );
    expect(a.status).toBe(200);
    const b = await post(
      createCategory as THandler,
      "/api/w/ws/admin/categories",
      { "sec-fetch-site": "same-origin", "content-type": "application/json" },
      JSON.stringify({ name: "Two" }),
    );
    expect(b.status).toBe(200);
  });

  it("parses JSON only when it is sent as application/json (a cross-site form can send text/plain without a preflight)", async () => {
    const before = await categoryCount();
    const res = await post(
      createCategory as THandler,
      "/api/w/ws/admin/categories",
      { origin: ORIGIN, "content-type": "text/plain" },
      JSON.stringify({ name: "Plain" }),
    );
    expect(res.status).toBe(415);
    expect(await categoryCount()).toBe(before);
  });

  it("claiming is a POST (a link cannot lease items) and needs the same origin", async () => {
    const forged = await claim(request("/api/w/ws/queue/claim", { method: "POST" }), params({}));
    expect(forged.status).toBe(403);
    const own = await claim(request("/api/w/ws/queue/claim", { method: "POST", headers: { origin: ORIGIN } }), params({}));
    expect(own.status).toBe(200);
    const mod = await import("@/app/api/w/[workspace]/queue/claim/route.ts");
    expect("GET" in mod).toBe(false);
  });

  it("closes login CSRF: a sign-in from another origin is refused before the password is checked", async () => {
    const body = JSON.stringify({ email: "root@x.test", password: PASSWORD });
    const forged = await login(
      request("/api/auth/login", {
        method: "POST",
        isSignedIn: false,
        headers: { origin: "http://modloop.test:8080", "content-type": "application/json" },
        body,
      }),
    );
    expect(forged.status).toBe(403);
    expect(forged.headers.get("set-cookie")).toBeNull();
    const own = await login(
      request("/api/auth/login", { method: "POST", isSignedIn: false, headers: { origin: ORIGIN, "content-type": "application/json" }, body }),
    );
    expect(own.status).toBe(200);
    expect(own.headers.get("set-cookie")).toMatch(/modloop_session=/);
  });
});

describe("sign-in from the plain form (the login page before its scripts run)", () => {
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    login(
      request("/api/auth/login", {
        method: "POST",
        isSignedIn: false,
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams(fields).toString(),
      }),
    );
  const attempts = async (email: string) =>
    (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM login_attempt WHERE email = $1`, [email])).rows[0]!.n;

  it("signs in with a redirect to the user's home page, and the session cookie", async () => {
    const res = await form({ email: "ROOT@x.test ", password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/(w\/|workspaces)/);
    expect(res.headers.get("set-cookie")).toMatch(/modloop_session=.+HttpOnly/i);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("sends a failure back to /login with a reason from its own vocabulary, and no cookie", async () => {
    const wrong = await form({ email: "root@x.test", password: "not-the-password" });
    expect([wrong.status, wrong.headers.get("location"), wrong.headers.get("set-cookie")]).toEqual([303, "/login?error=credentials", null]);
    const empty = await form({ email: "root@x.test" });
    expect(empty.headers.get("location")).toBe("/login?error=incomplete");
    const huge = await form({ email: "root@x.test", password: "p".repeat(5 * 1024) });
    expect(huge.headers.get("location")).toBe("/login?error=too-long");
  });

  it("refuses another site's form before the password is checked (login CSRF)", async () => {
    const before = await attempts("root@x.test");
    const forged = await form({ email: "root@x.test", password: PASSWORD }, { origin: "https://evil.example" });
    expect([forged.status, forged.headers.get("location"), forged.headers.get("set-cookie")]).toEqual([303, "/login?error=cross-site", null]);
    expect(await attempts("root@x.test")).toBe(before);
  });

  it("says how long a throttled sign-in waits", async () => {
    const email = "throttled@x.test";
    await getPool().query(`INSERT INTO login_attempt (email, address, is_success) SELECT $1, '192.0.2.1', false FROM generate_series(1, 12)`, [email]);
    const res = await form({ email, password: "anything" });
    expect(res.headers.get("location")).toMatch(/^\/login\?error=throttled&wait=\d+$/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe("body limits (finding 1)", () => {
  const big = (bytes: number) => JSON.stringify({ name: "x", description: "d".repeat(bytes) });

  it("answers 413 from Content-Length before reading, and writes nothing", async () => {
    const before = await categoryCount();
    const res = await post(
      createCategory as THandler,
      "/api/w/ws/admin/categories",
      { origin: ORIGIN, "content-type": "application/json", "content-length": String(65 * 1024) },
      big(65 * 1024),
    );
    expect(res.status).toBe(413);
    expect(await categoryCount()).toBe(before);
  });

  it("stops reading a body without Content-Length (chunked) as soon as it passes the limit", async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode("a".repeat(16 * 1024));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const res = await post(createCategory as THandler, "/api/w/ws/admin/categories", { origin: ORIGIN, "content-type": "application/json" }, endless);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(10); // ~64 KiB read of an endless body, then abandoned
  });

  it("limits sign-in to 4 KiB, before the password is hashed", async () => {
    const body = JSON.stringify({ email: "root@x.test", password: "p".repeat(5 * 1024) });
    const res = await login(
      request("/api/auth/login", { method: "POST", isSignedIn: false, headers: { origin: ORIGIN, "content-type": "application/json" }, body }),
    );
    expect(res.status).toBe(413);
    const chunked = await login(
      request("/api/auth/login", {
        method: "POST",
        isSignedIn: false,
        headers: { origin: ORIGIN, "content-type": "application/json" },
        body: new Blob([body]).stream(),
      }),
    );
    expect(chunked.status).toBe(413);
  });
});

describe("ids and messages (finding 9)", () => {
  it("a path id beyond the database's range is a 404, not a 500", async () => {
    for (const [handler, id] of [
      [getExcerpt, "99999999999999999999"],
      [getExcerpt, "-1"],
      [getExcerpt, "1e3"],
      [getImport, "99999999999"],
      [getImport, "2147483648"],
    ] as const) {
      const res = await (handler as THandler)(request(`/api/w/ws/x/${id}`), params({ id }));
      expect({ id, status: res.status }).toEqual({ id, status: 404 });
    }
  });

  it("a query id beyond the range is a 422 naming query.<field>", async () => {
    const cursor = await (searchExcerpts as THandler)(request("/api/w/ws/excerpts/search?cursor=99999999999999999999"), params({}));
    expect(cursor.status).toBe(422);
    expect((await cursor.json()).error.message).toMatch(/^query\.cursor: /);
    const diff = await (diffSnapshots as THandler)(request("/api/w/ws/datasets/diff?before=99999999999&after=1"), params({}));
    expect(diff.status).toBe(422);
    expect((await diff.json()).error.message).toMatch(/^query\.before: /);
  });

  it("body validation names body.<field>, and never echoes the raw bytes sent", async () => {
    const res = await post(
      decide as THandler,
      "/api/w/ws/queue/decisions",
      { origin: ORIGIN, "content-type": "application/json" },
      JSON.stringify({ excerptId: "99999999999999999999", kind: "label" }),
    );
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toMatch(/^body\.excerptId: /);
    const garbage = "\u0000\u00ff<script>{{{";
    const bad = await post(createCategory as THandler, "/api/w/ws/admin/categories", { origin: ORIGIN, "content-type": "application/json" }, garbage);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).not.toContain("<script>");
  });

  it("categories still list normally (the guards do not get in the way of a plain GET)", async () => {
    const res = await (getCategories as THandler)(request("/api/w/ws/categories"), params({}));
    expect(res.status).toBe(200);
  });
});

describe("admission gate (withRoute's `gate`, server/queue/queue-gate.ts)", () => {
  const holdSlot = (gate: ReturnType<typeof createSemaphore>) => {
    let release!: () => void;
    const done = gate.run(() => new Promise<void>((r) => (release = r)));
    return {
      release: async () => {
        release();
        await done;
      },
    };
  };

  it("an authorised request waits for a slot, runs in turn, and answers 503 BUSY when the wait runs out", async () => {
    const gate = createSemaphore({ limit: 1, maxWaitMs: 200, timedOut: busyError });
    const order: string[] = [];
    const route = withRoute({ workspace: true, roles: "any", gate: () => gate }, async ({ workspace }) => {
      order.push(`ran ${workspace.slug}`);
      return { ok: true };
    });
    const held = holdSlot(gate);
    const waiting = route(request("/api/w/ws/anything"), params({}));
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual([]);
    expect(gate.waiting).toBe(1);
    await held.release();
    expect((await waiting).status).toBe(200);
    expect(order).toEqual(["ran ws"]);

    // held longer than the wait: 503 BUSY, and the handler never runs
    const heldAgain = holdSlot(gate);
    const timedOut = await route(request("/api/w/ws/anything"), params({}));
    expect(timedOut.status).toBe(503);
    expect((await timedOut.json()).error.code).toBe("BUSY");
    expect(order).toEqual(["ran ws"]);
    await heldAgain.release();
  });

  it("a client that goes away while its request waits for a slot is dropped from the line, over real HTTP through the fast lane", async () => {
    const gate = createSemaphore({ limit: 1, maxWaitMs: 10_000, timedOut: busyError });
    const ran = vi.fn();
    const route = withRoute({ workspace: true, roles: "any", gate: () => gate }, async () => {
      ran();
      return { ok: true };
    });
    const server = createServer((req, res) =>
      serveFastLane({ handler: route as TRouteHandler, params: { workspace: "ws" } }, req, res, { origin: ORIGIN, fixedHeaders: [] }),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const held = holdSlot(gate);
    try {
      // sent, then abandoned while it waits (a browser tab closed, a client that timed out)
      const client = connect(port, "127.0.0.1");
      client.on("error", () => {});
      client.write(`GET /api/w/ws/anything HTTP/1.1\r\nhost: modloop.test\r\ncookie: modloop_session=${adminToken}\r\n\r\n`);
      await expect.poll(() => gate.waiting).toBe(1);
      client.destroy();
      await expect.poll(() => gate.waiting).toBe(0);
      // one that stays gets its turn as before
      const stays = fetch(`http://127.0.0.1:${port}/api/w/ws/anything`, { headers: { cookie: `modloop_session=${adminToken}` } });
      await expect.poll(() => gate.waiting).toBe(1);
      await held.release();
      expect((await stays).status).toBe(200);
      expect(ran).toHaveBeenCalledTimes(1);
    } finally {
      server.close();
    }
  });

  it("callers it refuses anyway (no session, another workspace, the wrong role, a wrong origin) are answered at once, never queued", async () => {
    const gate = createSemaphore({ limit: 1 });
    const held = holdSlot(gate);
    const ran = vi.fn();
    const route = withRoute({ workspace: true, roles: ["moderator"], gate: () => gate }, async () => ran());
    const anyRole = withRoute({ workspace: true, roles: "any", gate: () => gate }, async () => ran());
    // a data scientist of this workspace: a member, but not a moderator
    const pool = getPool();
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO app_user (email, name, password_hash, role) VALUES ('ds@x.test', 'DS', 'x', 'data_scientist') RETURNING id`,
    );
    await pool.query(`INSERT INTO workspace_member (workspace_id, user_id, role) SELECT id, $1, 'data_scientist' FROM workspace WHERE slug = 'ws'`, [
      rows[0]!.id,
    ]);
    const dsToken = (await createSession(rows[0]!.id)).token;
    const answers = await Promise.all([
      anyRole(request("/api/w/ws/anything", { isSignedIn: false }), params({})),
      anyRole(request("/api/w/nope/anything"), { params: Promise.resolve({ workspace: "nope" }) }),
      route(request("/api/w/ws/anything", { isSignedIn: false, headers: { cookie: `modloop_session=${dsToken}` } }), params({})),
      anyRole(request("/api/w/ws/anything", { method: "POST", headers: { origin: "https://evil.example" } }), params({})),
    ]);
    expect(answers.map((r) => r.status)).toEqual([401, 404, 403, 403]);
    expect(gate.waiting).toBe(0);
    expect(ran).not.toHaveBeenCalled();
    await held.release();
  });

  it("the queue routes are gated", async () => {
    const sources = ["claim", "decisions", "undo", "progress"].map((r) =>
      readFileSync(path.resolve(import.meta.dirname, `../../app/api/w/[workspace]/queue/${r}/route.ts`), "utf8"),
    );
    for (const source of sources) expect(source).toMatch(/withRoute\(\s*\{[^}]*gate: queueGate/);
  });
});
