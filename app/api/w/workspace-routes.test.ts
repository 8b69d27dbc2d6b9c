import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/server/auth/session.ts";
import { getPool } from "@/server/db/pool.ts";
import { createTestDatabase } from "@/server/test/test-db.ts";

/**
 * Workspace isolation over EVERY route under app/api/w/[workspace], found on disk: each exported method,
 * called with a real request by a user who is admin of another workspace, must answer 404 and change no
 * row. A new route that forgets `workspace: true` (or checks membership after writing) fails here.
 */

const ROUTES_DIR = path.join(import.meta.dirname, "[workspace]");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const ORIGIN = "http://modloop.test";

type THandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : [],
  );
}

/** "models/[id]/promote" from the file's folder under [workspace]. */
const restOf = (file: string) => path.relative(ROUTES_DIR, path.dirname(file)).split(path.sep).join("/");

/** Bodies that the route would accept (so a missing membership check would really write). */
const BODIES: Record<string, unknown> = {
  "POST admin/categories": { name: "Intruder category" },
  "PATCH admin/categories/[id]": { name: "Renamed by an intruder" },
  "PUT admin/settings": { flagThreshold: 0.01, rankStrategy: "random", randomShare: 0.5, leaseSeconds: 60 },
  "POST queue/decisions": { excerptId: "EXCERPT", kind: "skip" },
  "POST adjudication": { excerptId: "EXCERPT", categoryId: "CATEGORY" },
  "POST rereview/decisions": { suspectId: "1", categoryId: "CATEGORY" },
  "POST excerpts": { records: [{ text: "written by an intruder", external_id: "intruder-1" }] },
  "POST datasets/snapshots": { params: {} },
  "POST models/[id]/promote": { isConfirmed: true },
  "POST models/[id]/shadow": { isShadow: true },
  "POST models/threshold": { metric: "precision", atLeast: 0.5 },
  "PATCH ": { name: "Renamed by an intruder", isArchived: true },
  "PUT members": { email: "outsider@x.test", role: "admin" },
  "PUT members/[id]": { role: "admin" },
  "POST admin/api-keys": { name: "Intruder key", scopes: ["classify"] },
  "POST admin/webhooks": { name: "Intruder hook", url: "https://intruder.example/hook", events: ["decision.final"] },
  "PATCH admin/webhooks/[id]": { name: "Renamed by an intruder", rotateSecret: true },
  "PUT admin/serving": { isRouteFlagged: false, routeAuditShare: 0.5 },
  "PUT admin/serving/categories/[id]": { attribute: "INSULT_BY_INTRUDER" },
};

let drop: () => Promise<void>;
let outsiderToken: string; // admin of "bravo", not a member of "alpha"
let moderatorToken: string; // moderator in "bravo"
let instanceAdminToken: string; // app_user.role = admin, member of nothing
let alphaExcerptId: string;
let alphaCategoryId: number;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const pool = getPool();
  const { rows: ws } = await pool.query<{ id: number; slug: string }>(
    `INSERT INTO workspace (slug, name) VALUES ('alpha', 'Alpha'), ('bravo', 'Bravo') RETURNING id, slug`,
  );
  const alpha = ws.find((w) => w.slug === "alpha")!.id;
  const bravo = ws.find((w) => w.slug === "bravo")!.id;
  for (const id of [alpha, bravo]) {
    await pool.query(
      `INSERT INTO category (workspace_id, name, color, hotkey, sort_order, is_non_toxic)
       VALUES ($1, 'Fine', '#16a34a', 1, 10, true), ($1, 'Insult', '#f97316', 2, 20, false)`,
      [id],
    );
  }
  alphaCategoryId = (await pool.query<{ id: number }>(`SELECT id FROM category WHERE workspace_id = $1 ORDER BY id DESC LIMIT 1`, [alpha])).rows[0]!.id;
  alphaExcerptId = (
    await pool.query<{ id: string }>(`INSERT INTO excerpt (workspace_id, dedup_key, text) VALUES ($1, 'a-1', 'alpha secret line') RETURNING id::text`, [alpha])
  ).rows[0]!.id;
  const user = async (email: string, role: string, memberships: [number, string][]) => {
    const { rows } = await pool.query<{ id: number }>(`INSERT INTO app_user (email, name, password_hash, role) VALUES ($1, $1, 'x', $2::"Role") RETURNING id`, [
      email,
      role,
    ]);
    for (const [workspaceId, memberRole] of memberships) {
      await pool.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, $3::"Role")`, [workspaceId, rows[0]!.id, memberRole]);
    }
    return (await createSession(rows[0]!.id)).token;
  };
  outsiderToken = await user("outsider@x.test", "moderator", [[bravo, "admin"]]);
  moderatorToken = await user("mod@x.test", "moderator", [[bravo, "moderator"]]);
  instanceAdminToken = await user("root@x.test", "admin", []);
});
afterAll(() => drop());

/** Every public table's content, hashed (sessions excepted: signing in legitimately touches them). */
async function digest(): Promise<Record<string, string>> {
  const pool = getPool();
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('session', '_prisma_migrations') ORDER BY 1`,
  );
  const sql = tables
    .map((t) => `SELECT '${t.name}' AS name, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS hash FROM "${t.name}" x`)
    .join(" UNION ALL ");
  const { rows } = await pool.query<{ name: string; hash: string }>(sql);
  return Object.fromEntries(rows.map((r) => [r.name, r.hash]));
}

function call(handler: THandler, opts: { method: string; slug: string; rest: string; token: string; body?: unknown; id?: string }) {
  const urlPath = `/api/w/${opts.slug}/${opts.rest.replace("[id]", opts.id ?? "1")}`;
  const hasBody = opts.method !== "GET";
  const req = new Request(`${ORIGIN}${urlPath}`, {
    method: opts.method,
    headers: { cookie: `modloop_session=${opts.token}`, origin: ORIGIN, ...(hasBody ? { "content-type": "application/json" } : {}) },
    body: hasBody ? JSON.stringify(opts.body ?? {}) : undefined,
  });
  const params: Record<string, string> = { workspace: opts.slug };
  if (opts.rest.includes("[id]")) params.id = opts.id ?? "1";
  return handler(req, { params: Promise.resolve(params) });
}

const routes = routeFiles(ROUTES_DIR).sort();

describe("workspace routes", () => {
  it("finds the routes on disk", () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  it.each(routes.map((f) => [restOf(f), f] as const))("%s: a member of another workspace gets 404 and changes nothing", async (rest, file) => {
    const mod = (await import(file)) as Partial<Record<(typeof METHODS)[number], THandler>>;
    const methods = METHODS.filter((m) => typeof mod[m] === "function");
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      const body = JSON.parse(
        JSON.stringify(BODIES[`${method} ${rest}`] ?? {})
          .replace('"EXCERPT"', JSON.stringify(alphaExcerptId))
          .replace('"CATEGORY"', String(alphaCategoryId)),
      );
      const id = rest.startsWith("excerpts/")
        ? alphaExcerptId
        : rest.startsWith("admin/categories/") || rest.startsWith("admin/serving/categories/")
          ? String(alphaCategoryId)
          : "1";
      const before = await digest();
      const res = await call(mod[method]!, { method, slug: "alpha", rest, token: outsiderToken, body, id });
      expect({ route: `${method} ${rest}`, status: res.status }).toEqual({ route: `${method} ${rest}`, status: 404 });
      const text = await res.text();
      expect(text).not.toContain("alpha secret line");
      expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
      expect(await digest()).toEqual(before);
    }
  });

  it("the same user reaches their own workspace, and an unknown slug is the same 404 as a foreign one", async () => {
    const { GET } = await import("./[workspace]/categories/route.ts");
    const own = await call(GET as THandler, { method: "GET", slug: "bravo", rest: "categories", token: outsiderToken });
    expect(own.status).toBe(200);
    expect((await own.json()).categories).toHaveLength(2);
    const unknown = await call(GET as THandler, { method: "GET", slug: "nowhere", rest: "categories", token: outsiderToken });
    const foreign = await call(GET as THandler, { method: "GET", slug: "alpha", rest: "categories", token: outsiderToken });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual(await foreign.json());
    // another workspace's row through one's own workspace: still not found
    const { GET: getExcerpt } = await import("./[workspace]/excerpts/[id]/route.ts");
    const cross = await call(getExcerpt as THandler, { method: "GET", slug: "bravo", rest: "excerpts/[id]", token: outsiderToken, id: alphaExcerptId });
    expect(cross.status).toBe(404);
  });

  it("instance admins open every workspace without a membership", async () => {
    const { GET } = await import("./[workspace]/categories/route.ts");
    const res = await call(GET as THandler, { method: "GET", slug: "alpha", rest: "categories", token: instanceAdminToken });
    expect(res.status).toBe(200);
  });

  it("roles come from the membership: a moderator in bravo is refused admin and data-science routes there (403), nothing changes", async () => {
    const settings = await import("./[workspace]/admin/settings/route.ts");
    const models = await import("./[workspace]/models/route.ts");
    const train = await import("./[workspace]/models/train/route.ts");
    const categories = await import("./[workspace]/admin/categories/route.ts");
    const progress = await import("./[workspace]/queue/progress/route.ts");
    const apiKeys = await import("./[workspace]/admin/api-keys/route.ts");
    const webhooks = await import("./[workspace]/admin/webhooks/route.ts");
    const serving = await import("./[workspace]/admin/serving/route.ts");
    const before = await digest();
    for (const [handler, method, rest, body] of [
      [settings.PUT, "PUT", "admin/settings", BODIES["PUT admin/settings"]],
      [settings.GET, "GET", "admin/settings", undefined],
      [models.GET, "GET", "models", undefined],
      [train.POST, "POST", "models/train", {}],
      [categories.POST, "POST", "admin/categories", BODIES["POST admin/categories"]],
      [apiKeys.GET, "GET", "admin/api-keys", undefined],
      [apiKeys.POST, "POST", "admin/api-keys", BODIES["POST admin/api-keys"]],
      [webhooks.POST, "POST", "admin/webhooks", BODIES["POST admin/webhooks"]],
      [serving.PUT, "PUT", "admin/serving", BODIES["PUT admin/serving"]],
    ] as const) {
      const res = await call(handler as THandler, { method, slug: "bravo", rest, token: moderatorToken, body });
      expect({ rest, method, status: res.status }).toEqual({ rest, method, status: 403 });
    }
    expect(await digest()).toEqual(before);
    const ok = await call(progress.GET as THandler, { method: "GET", slug: "bravo", rest: "queue/progress", token: moderatorToken });
    expect(ok.status).toBe(200);
  });
});
