import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAST_LANE_ROUTES } from "@/app/api/fast-lane-routes.ts";
import { createSession } from "@/server/auth/session.ts";
import { getPool } from "@/server/db/pool.ts";
import { seedQueueFixture, type TQueueFixture } from "@/server/queue/queue-fixtures.ts";
import { createTestDatabase } from "@/server/test/test-db.ts";
import { apiHeaders, webRequestListener } from "./start-web-server.ts";

/**
 * The production web server's fast lane over a real socket: the queue's routes answer through their own
 * route modules (same wrapper: CSRF, session, workspace, role, idempotency) with the headers next.config.js
 * gives every API answer, and everything else reaches the fallback (Next.js in production).
 */

const SLUG = "ws-fast-lane";
let drop: () => Promise<void>;
let fx: TQueueFixture;
let server: http.Server;
let base: string;
let moderator: string;
let outsider: string;
let manager: string;
const fellThrough: string[] = [];

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  fx = await seedQueueFixture({ excerpts: 60, users: 3, randomShare: 0, claimBatchSize: 4, slug: SLUG });
  await getPool().query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, 'moderator'), ($1, $3, 'manager')`, [
    fx.workspaceId,
    fx.userIds[0],
    fx.userIds[2],
  ]);
  moderator = (await createSession(fx.userIds[0]!)).token;
  outsider = (await createSession(fx.userIds[1]!)).token;
  manager = (await createSession(fx.userIds[2]!)).token;
  const fixedHeaders = await apiHeaders(path.resolve(import.meta.dirname, "../.."));
  server = http.createServer(
    webRequestListener({
      fastRoutes: FAST_LANE_ROUTES,
      fallback: (req, res) => {
        fellThrough.push(`${req.method} ${req.url}`);
        res.statusCode = 418;
        res.end("next.js");
      },
      origin: "http://localhost",
      fixedHeaders,
    }),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await drop();
});

const send = (url: string, init: { method?: string; token?: string; origin?: string | null; body?: unknown; key?: string } = {}) =>
  fetch(`${base}${url}`, {
    method: init.method ?? "POST",
    headers: {
      ...(init.token ? { cookie: `modloop_session=${init.token}` } : {}),
      ...(init.origin === null ? {} : { origin: init.origin ?? base }),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.key ? { "idempotency-key": init.key } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

describe("the web server's fast lane", () => {
  it("claims and decides through the route modules, with the API's fixed headers", async () => {
    const claimed = await send(`/api/w/${SLUG}/queue/claim?limit=2`, { token: moderator });
    expect(claimed.status).toBe(200);
    expect(claimed.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(claimed.headers.get("x-content-type-options")).toBe("nosniff");
    expect(claimed.headers.get("cache-control")).toBe("no-store");
    const { cards } = (await claimed.json()) as { cards: { excerptId: string }[] };
    expect(cards).toHaveLength(2);

    const decision = { excerptId: cards[0]!.excerptId, kind: "label", categoryId: fx.categoryIds[0] };
    const first = await send(`/api/w/${SLUG}/queue/decisions`, { token: moderator, body: decision, key: "fast-lane-key-0001" });
    expect(first.status).toBe(200);
    const answer = await first.json();
    // a retry with the same key returns the first answer and stores nothing more
    const retry = await send(`/api/w/${SLUG}/queue/decisions`, { token: moderator, body: decision, key: "fast-lane-key-0001" });
    expect(await retry.json()).toEqual(answer);
    const { rows } = await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM decision WHERE excerpt_id = $1`, [cards[0]!.excerptId]);
    expect(rows[0]!.n).toBe(1);

    const progress = await send(`/api/w/${SLUG}/queue/progress`, { method: "GET", token: moderator, origin: null });
    expect(progress.status).toBe(200);
    expect(fellThrough).toEqual([]);
  });

  it("refuses what the wrapper refuses: no session, another site, a non-member, a wrong role, a bad body", async () => {
    expect((await send(`/api/w/${SLUG}/queue/claim`, {})).status).toBe(401);
    expect((await send(`/api/w/${SLUG}/queue/claim`, { token: moderator, origin: "https://evil.example" })).status).toBe(403);
    expect((await send(`/api/w/${SLUG}/queue/claim`, { token: moderator, origin: null })).status).toBe(403);
    // not a member of this workspace: the same 404 as an unknown one
    expect((await send(`/api/w/${SLUG}/queue/claim`, { token: outsider })).status).toBe(404);
    expect((await send(`/api/w/no-such-space/queue/claim`, { token: moderator })).status).toBe(404);
    // a manager is a member but may not take queue items
    expect((await send(`/api/w/${SLUG}/queue/claim`, { token: manager })).status).toBe(403);
    const bad = await send(`/api/w/${SLUG}/queue/decisions`, { token: moderator, body: { excerptId: "x", kind: "label" } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.code).toBe("VALIDATION");
    const huge = await fetch(`${base}/api/w/${SLUG}/queue/decisions`, {
      method: "POST",
      headers: { cookie: `modloop_session=${moderator}`, origin: base, "content-type": "application/json" },
      body: JSON.stringify({ note: "x".repeat(200_000) }),
    });
    expect(huge.status).toBe(413);
    expect(fellThrough).toEqual([]);
  });

  it("hands every other path and method to Next.js", async () => {
    expect((await send(`/api/w/${SLUG}/queue/claim`, { method: "GET", token: moderator })).status).toBe(418);
    expect((await send(`/w/${SLUG}/queue`, { method: "GET", token: moderator })).status).toBe(418);
    expect((await send(`/api/w/${SLUG}/categories`, { method: "GET", token: moderator })).status).toBe(418);
    expect(fellThrough).toEqual([`GET /api/w/${SLUG}/queue/claim`, `GET /w/${SLUG}/queue`, `GET /api/w/${SLUG}/categories`]);
  });
});
