import Ajv2020 from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAuditSample } from "@/lib/ranking/rank.ts";
import { createApiKey } from "../api-keys/create-api-key.ts";
import { createSession, userForToken } from "../auth/session.ts";
import { getPool } from "../db/pool.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { seedModelFixture, type TModelFixture } from "../model/model-fixtures.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";
import { promoteModelVersion } from "../registry/promote-model-version.ts";
import { setShadow } from "../registry/set-shadow.ts";
import { stopBoss } from "../jobs/boss.ts";
import { revokeApiKey } from "../api-keys/revoke-api-key.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { eventually, startApiProcess, type TApiProcess } from "./api-test-harness.ts";

/**
 * The machine API end to end against a real `npm run api` process on a real PostgreSQL: classify, the
 * live store and routing, promotion without restart, shadows, keys (scopes, revocation, expiry, other
 * workspaces, rate limits, cookies), bad input, and the OpenAPI document checked against real answers.
 * Perspective compatibility and webhooks have their own files.
 */

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let api: TApiProcess;
let fx: TModelFixture;
let other: TModelFixture;
let activeVersion: string;
const keys = {} as Record<"full" | "classifyOnly" | "decisions" | "limited" | "expired" | "revoked" | "other", string>;
let ajv: InstanceType<typeof Ajv2020>;
let openapi: { components: { schemas: Record<string, object> } };

type TJson = Record<string, unknown> & { error?: { code: string; message: string } };

async function call(
  path: string,
  opts: { key?: string | null; body?: unknown; method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: TJson; headers: Headers }> {
  const headers: Record<string, string> = { "content-type": "application/json", ...opts.headers };
  const key = opts.key === undefined ? keys.full : opts.key;
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${api.url}${path}`, {
    method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body),
  });
  return { status: res.status, body: (await res.json()) as TJson, headers: res.headers };
}

function expectValid(schemaName: string, value: unknown): void {
  const validate = ajv.getSchema(`#/components/schemas/${schemaName}`) ?? ajv.compile(openapi.components.schemas[schemaName]);
  const isValid = validate(value);
  expect(validate.errors ?? [], `${schemaName}: ${JSON.stringify(value).slice(0, 300)}`).toEqual([]);
  expect(isValid).toBe(true);
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return (await getPool().query<{ n: number }>(sql, params)).rows[0].n;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedModelFixture({ labelled: 200, unlabelled: 0, slug: "game" });
  other = await seedModelFixture({ labelled: 80, unlabelled: 0, slug: "other" });
  activeVersion = (await trainModelVersion({ workspaceId: fx.workspaceId, activate: true })).version;
  await trainModelVersion({ workspaceId: other.workspaceId, activate: true });
  // every excerpt of the fixture is labelled: the queue holds only what the API routes there
  await getPool().query(`UPDATE workspace SET route_audit_share = 0, route_uncertain_margin = NULL WHERE id = $1`, [fx.workspaceId]);
  const make = async (name: string, input: Partial<Parameters<typeof createApiKey>[0]["input"]> = {}, workspaceId = fx.workspaceId) =>
    (await createApiKey({ workspaceId, input: { name, ...input } })).key;
  keys.full = await make("full", { scopes: ["classify", "ingest", "decisions:read"] });
  keys.classifyOnly = await make("classify only", { scopes: ["classify"] });
  keys.decisions = await make("decisions", { scopes: ["decisions:read"] });
  keys.limited = await make("limited", { rateLimitPerMinute: 3 });
  keys.expired = await make("expired", { expiresAt: new Date(Date.now() + 60_000) });
  await getPool().query(`UPDATE api_key SET expires_at = now() - interval '1 minute' WHERE name = 'expired'`);
  keys.revoked = await make("revoked");
  keys.other = await make("other", {}, other.workspaceId);
  // caches trusted for 10 minutes: a promotion or revocation seen within seconds came through NOTIFY
  api = await startApiProcess({ databaseUrl: testDb.url, env: { MODLOOP_API_MAX_BODY_BYTES: String(512 * 1024), MODLOOP_API_CACHE_MS: "600000" } });
  openapi = (await (await fetch(`${api.url}/api/v1/openapi.json`)).json()) as typeof openapi;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(openapi, "#");
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await stopBoss({ graceful: false });
  await releaseModelSessions();
  await testDb?.drop();
});

describe("POST /api/v1/classify", () => {
  it("answers one text with the suggested category, probabilities, toxic score, flag and model version", async () => {
    const { status, body } = await call("/api/v1/classify", { body: { texts: ["you idiot"], store: false } });
    expect(status).toBe(200);
    expectValid("ClassifyResponse", body);
    const [r] = body.results as {
      category: { name: string; attribute: string | null };
      probabilities: Record<string, number>;
      toxicScore: number;
      isFlagged: boolean;
      modelVersion: string;
    }[];
    expect(r.category).toMatchObject({ name: "Insult", attribute: "INSULT" });
    expect(Object.keys(r.probabilities).sort()).toEqual(["Insult", "Non-toxic", "Profanity"]);
    expect(Object.values(r.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(r.toxicScore).toBeCloseTo(1 - r.probabilities["Non-toxic"], 5);
    // the workspace's threshold (a promotion may have handed over the model's calibrated default)
    const { rows } = await getPool().query<{ flag_threshold: number }>(`SELECT flag_threshold FROM workspace WHERE id = $1`, [fx.workspaceId]);
    expect(body).toMatchObject({ modelVersion: activeVersion, threshold: rows[0].flag_threshold, isStored: false });
    expect(r.isFlagged).toBe(r.toxicScore >= rows[0].flag_threshold);
    expect(r.isFlagged).toBe(true);
    expect(r.modelVersion).toBe(activeVersion);
  });

  it("answers a batch of 1,000 in the order sent", async () => {
    const texts = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? `nice shot mate ${i}` : { text: `fuck this game ${i}`, externalId: `batch-${i}` }));
    const { status, body } = await call("/api/v1/classify", { body: { texts, store: false } });
    expect(status).toBe(200);
    const results = body.results as { externalId: string | null; category: { name: string } }[];
    expect(results).toHaveLength(1000);
    results.forEach((r, i) => {
      expect(r.externalId).toBe(i % 2 === 0 ? null : `batch-${i}`);
      expect(r.category.name).toBe(i % 2 === 0 ? "Non-toxic" : "Profanity");
    });
  });

  it("stores texts as excerpts with their prediction, queues only routed ones, and a retry stores nothing twice", async () => {
    const texts = [
      {
        text: "you are trash uninstall",
        externalId: "m-1",
        game: "arena",
        channel: "team",
        conversationId: "match-9",
        speakerId: "p1",
        time: "2026-12-01T10:00:00Z",
        source: "voice",
      },
      { text: "gg wp everyone", externalId: "m-2", conversationId: "match-9" },
    ];
    const first = await call("/api/v1/classify", { body: { texts } });
    expect(first.status).toBe(200);
    expect(first.body.isStored).toBe(true);
    const stored = await eventually("both lines stored", async () => {
      const { rows } = await getPool().query(
        `SELECT e.external_id, e.text, e.source, e.game, e.channel, e.conversation_id, e.speaker_id, e.occurred_at, e.api_key_id IS NOT NULL AS is_live,
                p.model_version_id, p.toxic_score, q.is_open AS queued, q.is_flagged
           FROM excerpt e JOIN prediction p ON p.excerpt_id = e.id LEFT JOIN queue_item q ON q.excerpt_id = e.id
          WHERE e.workspace_id = $1 AND e.external_id IN ('m-1', 'm-2') ORDER BY e.external_id`,
        [fx.workspaceId],
      );
      return rows.length === 2 ? rows : undefined;
    });
    expect(stored[0]).toMatchObject({
      external_id: "m-1",
      source: "voice",
      game: "arena",
      channel: "team",
      conversation_id: "match-9",
      speaker_id: "p1",
      is_live: true,
      queued: true,
      is_flagged: true,
    });
    expect(stored[0].occurred_at.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    // not flagged, not uncertain (margin off), not in the audit share (0): stays out of the queue
    expect(stored[1]).toMatchObject({ external_id: "m-2", queued: null });
    // the client retries the same request: nothing is doubled
    await call("/api/v1/classify", { body: { texts } });
    await call("/api/v1/classify", { body: { texts: [{ text: "barrier line", externalId: "barrier-1" }] } });
    await eventually("the barrier line stored", async () =>
      (await count(`SELECT count(*)::int AS n FROM excerpt WHERE external_id = 'barrier-1'`)) === 1 ? true : undefined,
    );
    expect(await count(`SELECT count(*)::int AS n FROM excerpt WHERE external_id IN ('m-1', 'm-2')`)).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM prediction p JOIN excerpt e ON e.id = p.excerpt_id WHERE e.external_id IN ('m-1', 'm-2')`)).toBe(2);
  });

  it("with store: false stores nothing", async () => {
    const before = await count(`SELECT count(*)::int AS n FROM excerpt WHERE workspace_id = $1`, [fx.workspaceId]);
    expect((await call("/api/v1/classify", { body: { texts: [{ text: "you idiot never stored", externalId: "nostore-1" }], store: false } })).status).toBe(200);
    // flushes are in order: once a later line is stored, the first would have been too
    await call("/api/v1/classify", { body: { texts: [{ text: "barrier two", externalId: "barrier-2" }] } });
    await eventually("the barrier line stored", async () =>
      (await count(`SELECT count(*)::int AS n FROM excerpt WHERE external_id = 'barrier-2'`)) === 1 ? true : undefined,
    );
    expect(await count(`SELECT count(*)::int AS n FROM excerpt WHERE external_id = 'nostore-1' OR text = 'you idiot never stored'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM excerpt WHERE workspace_id = $1`, [fx.workspaceId])).toBe(before + 1);
  });

  it("routes by the workspace's settings: the audit share is queued as audit whatever the model says", async () => {
    await getPool().query(`UPDATE workspace SET route_audit_share = 1, route_flagged = false WHERE id = $1`, [fx.workspaceId]);
    await eventually("the new routing served", async () => {
      // the settings reach the API through its change notification
      await call("/api/v1/classify", { body: { texts: [{ text: `nice shot mate probe ${Date.now()}` }] } });
      const { rows } = await getPool().query<{ id: string; is_audit: boolean }>(
        `SELECT e.id::text, q.is_audit FROM excerpt e JOIN queue_item q ON q.excerpt_id = e.id WHERE e.text LIKE 'nice shot mate probe %' ORDER BY e.id DESC LIMIT 1`,
      );
      return rows[0];
    });
    const { rows } = await getPool().query<{ id: string; is_audit: boolean }>(
      `SELECT e.id::text, q.is_audit FROM excerpt e JOIN queue_item q ON q.excerpt_id = e.id WHERE e.text LIKE 'nice shot mate probe %'`,
    );
    for (const r of rows) {
      expect(isAuditSample(r.id, 1)).toBe(true);
      expect(r.is_audit).toBe(true);
    }
    await getPool().query(`UPDATE workspace SET route_audit_share = 0, route_flagged = true WHERE id = $1`, [fx.workspaceId]);
  });

  it("refuses bad input with a message naming the field, and stores nothing of a refused request", async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ texts: [] }, 422, /texts: send at least one text/],
      [{ texts: ["refused ok", "   "] }, 422, /texts\[1\]\.text: text is empty/],
      [{ texts: ["refused " + "x".repeat(20_001)] }, 422, /texts\[0\]\.text: text is longer than 20000 characters \(20009\)/],
      [{ texts: Array.from({ length: 1001 }, () => "refused hi") }, 422, /at most 1000 texts/],
      [{ texts: [{ text: "refused hi", time: "yesterday" }] }, 422, /texts\[0\]\.time: time must be an ISO 8601 date/],
      [{ texts: [{ text: "refused hi", colour: "red" }] }, 422, /texts\[0\]: Unrecognized key: "colour"/],
      [{ texts: ["refused hi"], store: "yes" }, 422, /store:/],
      ["{not json", 400, /not valid JSON/],
    ];
    for (const [body, status, message] of cases) {
      const res = await call("/api/v1/classify", { body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.body.error!.message).toMatch(message);
      expectValid("ApiError", res.body);
    }
    await call("/api/v1/classify", { body: { texts: [{ text: "barrier three", externalId: "barrier-3" }] } });
    await eventually("the barrier line stored", async () =>
      (await count(`SELECT count(*)::int AS n FROM excerpt WHERE external_id = 'barrier-3'`)) === 1 ? true : undefined,
    );
    expect(await count(`SELECT count(*)::int AS n FROM excerpt WHERE text LIKE 'refused %'`)).toBe(0);
  });

  it("answers 413 for a body over the limit before reading it", async () => {
    // declare 100 MiB, send a few bytes: the answer must come without the rest ever being sent
    const net = await import("node:net");
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(api.port, "127.0.0.1", () => {
        socket.write(
          `POST /api/v1/classify HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${keys.full}\r\ncontent-type: application/json\r\ncontent-length: ${100 * 1024 * 1024}\r\n\r\n{"texts":[`,
        );
      });
      let data = "";
      socket.on("data", (d) => (data += d.toString()));
      socket.on("close", () => resolve(data));
      socket.on("error", reject);
      setTimeout(() => reject(new Error("no answer")), 10_000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toMatch(/larger than 524288 bytes/);
    // chunked (no length): refused as soon as the count passes the limit
    const big = JSON.stringify({ texts: Array.from({ length: 1000 }, () => "y".repeat(600)) });
    const res = await fetch(`${api.url}/api/v1/classify`, {
      method: "POST",
      headers: { authorization: `Bearer ${keys.full}`, "content-type": "application/json" },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("a promotion is served from the next calls, without a restart", async () => {
    const next = await trainModelVersion({ workspaceId: fx.workspaceId });
    await promoteModelVersion({ workspaceId: fx.workspaceId, modelVersionId: next.modelVersionId, isConfirmed: true });
    const promotedAt = Date.now();
    await eventually(
      "the new version served",
      async () => {
        const { body } = await call("/api/v1/classify", { body: { texts: ["gg"], store: false } });
        return body.modelVersion === next.version ? true : undefined;
      },
      10_000,
    );
    // through LISTEN/NOTIFY: the cache time limit is 10 minutes in this process
    expect(Date.now() - promotedAt).toBeLessThan(10_000);
    activeVersion = next.version;
  });

  it("scores a shadow version alongside and records it, never returning it", async () => {
    const shadow = await trainModelVersion({ workspaceId: fx.workspaceId });
    await setShadow({ workspaceId: fx.workspaceId, modelVersionId: shadow.modelVersionId, isShadow: true });
    const stored = await eventually("the shadow's prediction recorded", async () => {
      const { body } = await call("/api/v1/classify", { body: { texts: [{ text: `shadowed line ${Date.now()}`, externalId: `sh-${Date.now()}` }] } });
      expect(body.modelVersion).toBe(activeVersion);
      await new Promise((r) => setTimeout(r, 100));
      const { rows } = await getPool().query(
        `SELECT count(*)::int AS n FROM prediction p JOIN excerpt e ON e.id = p.excerpt_id WHERE e.text LIKE 'shadowed line %' AND p.model_version_id = $1`,
        [shadow.modelVersionId],
      );
      return rows[0].n > 0 ? rows[0].n : undefined;
    });
    expect(stored).toBeGreaterThan(0);
    await setShadow({ workspaceId: fx.workspaceId, modelVersionId: shadow.modelVersionId, isShadow: false });
  });
});

describe("keys", () => {
  it("no key, a malformed or unknown key: 401 with what to do", async () => {
    expect((await call("/api/v1/classify", { key: null, body: { texts: ["hi"] } })).body.error).toMatchObject({
      code: "UNAUTHENTICATED",
      message: expect.stringMatching(/Authorization: Bearer/),
    });
    expect((await call("/api/v1/classify", { key: "nope", body: { texts: ["hi"] } })).status).toBe(401);
    expect((await call("/api/v1/classify", { key: `mlk_${"A".repeat(43)}`, body: { texts: ["hi"] } })).body.error!.message).toMatch(/unknown key/);
  });

  it("are accepted in the key query parameter too", async () => {
    const res = await call(`/api/v1/classify?key=${keys.full}`, { key: null, body: { texts: ["hi"], store: false } });
    expect(res.status).toBe(200);
  });

  it("scopes: a classify-only key may classify without storing, not store or read decisions", async () => {
    expect((await call("/api/v1/classify", { key: keys.classifyOnly, body: { texts: ["hi"], store: false } })).status).toBe(200);
    const storing = await call("/api/v1/classify", { key: keys.classifyOnly, body: { texts: [{ text: "scoped out", externalId: "scope-1" }] } });
    expect(storing.status).toBe(403);
    expect(storing.body.error!.message).toMatch(/"ingest" scope/);
    expect((await call("/api/v1/decisions", { key: keys.classifyOnly })).status).toBe(403);
    expect((await call("/api/v1/classify", { key: keys.decisions, body: { texts: ["hi"], store: false } })).body.error!.message).toMatch(
      /lacks the "classify" scope/,
    );
    expect(await count(`SELECT count(*)::int AS n FROM excerpt WHERE external_id = 'scope-1'`)).toBe(0);
  });

  it("an expired key is refused; a revoked key from the next request on", async () => {
    expect((await call("/api/v1/classify", { key: keys.expired, body: { texts: ["hi"], store: false } })).body.error!.message).toMatch(/expired on/);
    expect((await call("/api/v1/classify", { key: keys.revoked, body: { texts: ["hi"], store: false } })).status).toBe(200);
    const { rows } = await getPool().query<{ id: number }>(`SELECT id FROM api_key WHERE name = 'revoked'`);
    await revokeApiKey({ workspaceId: fx.workspaceId, keyId: rows[0].id });
    const revokedAt = Date.now();
    await eventually(
      "the revocation served",
      async () => {
        const res = await call("/api/v1/classify", { key: keys.revoked, body: { texts: ["hi"], store: false } });
        return res.status === 401 && /revoked on/.test(res.body.error!.message) ? true : undefined;
      },
      10_000,
    );
    expect(Date.now() - revokedAt).toBeLessThan(10_000);
  });

  it("another workspace: its key serves its own model, and is refused under this workspace's prefix", async () => {
    const own = await call("/api/v1/classify", { key: keys.other, body: { texts: ["hi"], store: false } });
    const { rows } = await getPool().query<{ version: string }>(
      `SELECT m.version FROM workspace w JOIN model_version m ON m.id = w.active_model_version_id WHERE w.id = $1`,
      [other.workspaceId],
    );
    expect(own.body.modelVersion).toBe(rows[0].version);
    const crossed = await call("/w/game/api/v1/classify", { key: keys.other, body: { texts: ["hi"], store: false } });
    expect(crossed.status).toBe(403);
    expect(crossed.body.error!.message).toMatch(/another workspace/);
    expect((await call("/w/game/api/v1/classify", { body: { texts: ["hi"], store: false } })).status).toBe(200);
    expect((await call("/w/nowhere/api/v1/classify", { body: { texts: ["hi"], store: false } })).status).toBe(403);
  });

  it("a rate-limited key gets 429 with Retry-After once its minute is used", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await call("/api/v1/classify", { key: keys.limited, body: { texts: ["hi"], store: false } });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get("retry-after");
        expect(res.body.error!.code).toBe("RATE_LIMITED");
        expectValid("ApiError", res.body);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(20);
  });

  it("a signed-in moderator's session cookie never authorises the API, and a key is never a session", async () => {
    const { token } = await createSession(fx.userId);
    const res = await call("/api/v1/classify", { key: null, body: { texts: ["hi"] }, headers: { cookie: `modloop_session=${token}` } });
    expect(res.status).toBe(401);
    expect(await userForToken(keys.full)).toBeNull();
  });
});

describe("GET /api/v1/decisions and the OpenAPI document", () => {
  it("serves the document at its stable path, under a workspace prefix too", async () => {
    const res = await fetch(`${api.url}/w/game/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/classify", "/api/v1/decisions", "/v1alpha1/comments:analyze", "/v1alpha1/comments:suggestscore"]),
    );
  });

  it("lists decisions since a cursor with the excerpt's standing label and external id", async () => {
    const { submitDecision } = await import("../queue/submit-decision.ts");
    const { rows } = await getPool().query<{ id: string }>(`SELECT id::text FROM excerpt WHERE external_id = 'm-1'`);
    const first = await call("/api/v1/decisions", { key: keys.decisions });
    expect(first.status).toBe(200);
    expectValid("DecisionsResponse", first.body);
    const cursor = first.body.next as string | null;
    await submitDecision({ workspaceId: fx.workspaceId, userId: fx.userId, excerptId: rows[0].id, kind: "label", categoryId: fx.categoryIds.insult });
    const page = await call(`/api/v1/decisions?limit=10${cursor ? `&after=${cursor}` : ""}`, { key: keys.decisions });
    expectValid("DecisionsResponse", page.body);
    const decisions = page.body.decisions as { externalId: string; category: { name: string; attribute: string }; isToxic: boolean }[];
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ externalId: "m-1", category: { name: "Insult", attribute: "INSULT" }, isToxic: true });
    const empty = await call(`/api/v1/decisions?after=${page.body.next}`, { key: keys.decisions });
    expect(empty.body).toEqual({ decisions: [], next: page.body.next });
    expect((await call("/api/v1/decisions?limit=5000", { key: keys.decisions })).status).toBe(422);
    // another workspace's key sees none of this workspace's decisions
    expect((await call("/api/v1/decisions", { key: keys.other })).status).toBe(403); // its default scopes lack decisions:read
  });

  it("records last-used times without a write per request, and writes them on shutdown", async () => {
    const before = await count(`SELECT count(*)::int AS n FROM api_key WHERE last_used_at IS NOT NULL`);
    expect(before).toBe(0); // nothing written yet: the minute has not passed
    await api.stop();
    expect(await count(`SELECT count(*)::int AS n FROM api_key WHERE name = 'full' AND last_used_at > now() - interval '5 minutes'`)).toBe(1);
    api = await startApiProcess({ databaseUrl: testDb.url });
  });
});
