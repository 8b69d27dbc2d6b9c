import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/server/auth/session.ts";
import { getPool } from "@/server/db/pool.ts";
import { seedLabelErrorFixture, type TLabelErrorFixture } from "@/server/label-errors/label-error-fixtures.ts";
import { createTestDatabase } from "@/server/test/test-db.ts";
import { GET as listQueue } from "./route.ts";
import { POST as claim } from "./claim/route.ts";
import { POST as decide } from "./decisions/route.ts";
import { GET as corrections } from "../dashboard/corrections/route.ts";
import { GET as listAdjudication, POST as adjudicate } from "../adjudication/route.ts";

/**
 * The re-review routes through real requests (session cookie, Origin, JSON body) against a real database:
 * only senior moderators and admins may list, claim or settle suspects (the same people who adjudicate); bad input is a 422 naming the field
 * and writes nothing; a retried verdict (same Idempotency-Key) stores one decision.
 */

type THandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ORIGIN = "http://modloop.test";
const SLUG = "ws-label-errors";

let drop: () => Promise<void>;
let fx: TLabelErrorFixture;
const tokens: Record<string, string> = {};
const suspectIds: string[] = [];

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  fx = await seedLabelErrorFixture({ labelled: 40, planted: 4, heldOut: 0, unlabelled: 0 });
  const pool = getPool();
  for (const [key, role] of [
    ["a", "moderator"],
    ["senior", "moderator"],
    // an admin of this workspace only (a moderator account): an adjudicator here, like an instance admin
    ["b", "admin"],
    ["admin", "admin"],
    ["manager", "manager"],
  ] as const) {
    await pool.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, $3::"Role")`, [fx.workspaceId, fx.users[key], role]);
    tokens[key] = (await createSession(fx.users[key])).token;
  }
  const cats = [fx.categoryIds.ok, fx.categoryIds.insult, fx.categoryIds.profanity];
  const { rows: mv } = await pool.query<{ id: number }>(
    `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids) VALUES ($1, 'v-rereview', 'hashed-linear', 'active', '{}', '\\x00', $2) RETURNING id`,
    [fx.workspaceId, cats],
  );
  // one suspect per planted error, as detection would store it: the wrong label, the true one suggested, the twin as evidence
  for (const [excerptId, truth] of fx.planted) {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO label_suspect (workspace_id, excerpt_id, model_version_id, category_id, label_decision_id, labelled_by_id, suggested_category_id, probs, quality, peer_excerpt_ids)
       SELECT e.workspace_id, e.id, $2, e.current_category_id,
              (SELECT max(d.id) FROM decision d WHERE d.excerpt_id = e.id AND d.kind = 'label'),
              (SELECT d.user_id FROM decision d WHERE d.excerpt_id = e.id AND d.kind = 'label' ORDER BY d.id DESC LIMIT 1),
              $3, $4::real[], 0.05, $5::bigint[]
         FROM excerpt e WHERE e.id = $1 RETURNING id::text`,
      [excerptId, mv[0].id, truth, cats.map((c) => (c === truth ? 0.9 : 0.05)), [fx.twinOf.get(excerptId)]],
    );
    suspectIds.push(rows[0].id);
  }
}, 60_000);
afterAll(() => drop());

function call(handler: THandler, opts: { method: "GET" | "POST"; rest: string; token: string; body?: unknown; key?: string }) {
  const headers: Record<string, string> = { cookie: `modloop_session=${opts.token}`, origin: ORIGIN };
  if (opts.method === "POST") headers["content-type"] = "application/json";
  if (opts.key) headers["Idempotency-Key"] = opts.key;
  const req = new Request(`${ORIGIN}/api/w/${SLUG}/${opts.rest}`, {
    method: opts.method,
    headers,
    body: opts.method === "POST" ? JSON.stringify(opts.body ?? {}) : undefined,
  });
  return handler(req, { params: Promise.resolve({ workspace: SLUG }) });
}

const count = async (sql: string, params: unknown[] = []) => (await getPool().query<{ n: number }>(sql, params)).rows[0].n;
const rereviewDecisions = () => count(`SELECT count(*)::int AS n FROM decision WHERE origin = 'rereview'`);
const leased = () => count(`SELECT count(*)::int AS n FROM label_suspect WHERE leased_by_id IS NOT NULL`);

describe("re-review routes", () => {
  it("an ordinary moderator and a manager are refused (403) listing, claiming and deciding, and nothing changes", async () => {
    for (const who of ["a", "manager"]) {
      const token = tokens[who];
      const list = await call(listQueue as THandler, { method: "GET", rest: "rereview", token });
      const claimed = await call(claim as THandler, { method: "POST", rest: "rereview/claim", token });
      const decided = await call(decide as THandler, {
        method: "POST",
        rest: "rereview/decisions",
        token,
        body: { suspectId: suspectIds[0], categoryId: fx.categoryIds.ok },
      });
      expect({ who, statuses: [list.status, claimed.status, decided.status] }).toEqual({ who, statuses: [403, 403, 403] });
      expect((await decided.json()).error.code).toBe("FORBIDDEN");
    }
    expect(await rereviewDecisions()).toBe(0);
    expect(await leased()).toBe(0);
  });

  it("adjudication and re-review let in the same people: a moderator is refused both, a senior and a workspace admin pass both", async () => {
    const excerptId = [...fx.planted.keys()][0];
    for (const who of ["a", "senior", "b"]) {
      const token = tokens[who];
      const statuses = [
        (await call(listAdjudication as THandler, { method: "GET", rest: "adjudication", token })).status,
        // not a disputed item: past the permission check it is a 409, and nothing is written
        (await call(adjudicate as THandler, { method: "POST", rest: "adjudication", token, body: { excerptId, categoryId: fx.categoryIds.ok } })).status,
        (await call(listQueue as THandler, { method: "GET", rest: "rereview?limit=1", token })).status,
      ];
      expect({ who, statuses }).toEqual({ who, statuses: who === "a" ? [403, 403, 403] : [200, 409, 200] });
    }
    expect(await count(`SELECT count(*)::int AS n FROM decision WHERE origin = 'adjudication'`)).toBe(0);
    expect(await leased()).toBe(0);
  });

  it("a senior lists the open suspects with their evidence, and claims them (the same items again on reload)", async () => {
    const list = await call(listQueue as THandler, { method: "GET", rest: "rereview?limit=10", token: tokens.senior });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { open: number; items: { suspectId: string }[] };
    expect(body.open).toBe(suspectIds.length);
    expect(body.items).toHaveLength(suspectIds.length);
    const first = await call(claim as THandler, { method: "POST", rest: "rereview/claim?limit=2", token: tokens.senior });
    expect(first.status).toBe(200);
    const items = (await first.json()).items as { suspectId: string; nearDuplicates: unknown[] }[];
    expect(items.map((i) => i.suspectId)).toEqual(suspectIds.slice(0, 2));
    expect(items[0].nearDuplicates).toHaveLength(1);
    const again = await call(claim as THandler, { method: "POST", rest: "rereview/claim?limit=2", token: tokens.senior });
    expect(((await again.json()).items as { suspectId: string }[]).map((i) => i.suspectId)).toEqual(suspectIds.slice(0, 2));
    expect(await leased()).toBe(2);
  });

  it("bad input is a 422 naming the field and writes nothing", async () => {
    const bad = [
      [{ suspectId: "abc", categoryId: fx.categoryIds.ok }, "suspectId"],
      [{ suspectId: suspectIds[0] }, "categoryId"],
      [{ suspectId: suspectIds[0], categoryId: 0 }, "categoryId"],
      [{ suspectId: suspectIds[0], categoryId: fx.categoryIds.ok, note: "x".repeat(2001) }, "note"],
    ] as const;
    for (const [body, field] of bad) {
      const res = await call(decide as THandler, { method: "POST", rest: "rereview/decisions", token: tokens.senior, body });
      const text = await res.text();
      expect({ field, status: res.status }).toEqual({ field, status: 422 });
      expect(text).toContain(field);
    }
    const limit = await call(claim as THandler, { method: "POST", rest: "rereview/claim?limit=0", token: tokens.senior });
    expect(limit.status).toBe(422);
    expect(await limit.text()).toContain("limit");
    expect(await rereviewDecisions()).toBe(0);
  });

  it("a retried verdict with the same Idempotency-Key stores one decision and returns the first answer; without a key the repeat is a 409", async () => {
    const suspectId = suspectIds[0];
    const truth = [...fx.planted.values()][0];
    const body = { suspectId, categoryId: truth, note: "twin says otherwise" };
    const key = "rereview-test-key-1";
    const first = await call(decide as THandler, { method: "POST", rest: "rereview/decisions", token: tokens.senior, body, key });
    expect(first.status).toBe(200);
    const answer = await first.json();
    expect(answer.isCorrected).toBe(true);
    expect(answer.categoryId).toBe(truth);
    const retry = await call(decide as THandler, { method: "POST", rest: "rereview/decisions", token: tokens.senior, body, key });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual(answer);
    expect(await rereviewDecisions()).toBe(1);
    const repeat = await call(decide as THandler, { method: "POST", rest: "rereview/decisions", token: tokens.senior, body });
    expect(repeat.status).toBe(409);
    expect(await rereviewDecisions()).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM label_suspect WHERE status = 'resolved'`)).toBe(1);
  });

  it("an instance admin settles one too (keeping the label is a verdict)", async () => {
    const suspectId = suspectIds[3];
    const { rows } = await getPool().query<{ category_id: number }>(`SELECT category_id FROM label_suspect WHERE id = $1`, [suspectId]);
    const res = await call(decide as THandler, {
      method: "POST",
      rest: "rereview/decisions",
      token: tokens.admin,
      body: { suspectId, categoryId: rows[0].category_id },
      key: "admin-keep-1",
    });
    expect(res.status).toBe(200);
    expect((await res.json()).isCorrected).toBe(false);
    expect(await rereviewDecisions()).toBe(2);
  });

  it("the manager's dashboard counts the corrections and whose labels they were; a moderator is refused; a bad date is a 422", async () => {
    const res = await call(corrections as THandler, { method: "GET", rest: "dashboard/corrections?game=x", token: tokens.manager });
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report).toMatchObject({ reviewed: 2, corrected: 1, confirmed: 1, open: suspectIds.length - 2 });
    expect(report.byLabeller.map((r: { userName: string }) => r.userName)).toContain("moderator-a");
    const today = new Date().toISOString().slice(0, 10);
    const inPeriod = await call(corrections as THandler, { method: "GET", rest: `dashboard/corrections?from=${today}&to=${today}`, token: tokens.manager });
    expect((await inPeriod.json()).reviewed).toBe(2);
    const denied = await call(corrections as THandler, { method: "GET", rest: "dashboard/corrections", token: tokens.a });
    expect(denied.status).toBe(403);
    const bad = await call(corrections as THandler, { method: "GET", rest: "dashboard/corrections?from=yesterday", token: tokens.manager });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("from");
  });
});
