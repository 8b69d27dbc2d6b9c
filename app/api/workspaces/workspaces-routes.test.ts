import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/server/auth/session.ts";
import { getPool } from "@/server/db/pool.ts";
import { createTestDatabase } from "@/server/test/test-db.ts";

/**
 * The workspace-management API with real requests on a real database: create (instance admins), rename and
 * archive (workspace admins), membership; wrong roles and other workspaces refused, bad input writes nothing.
 */

const ORIGIN = "http://modloop.test";
type THandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

let drop: () => Promise<void>;
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const pool = getPool();
  const { rows: ws } = await pool.query<{ id: number; slug: string }>(
    `INSERT INTO workspace (slug, name) VALUES ('alpha', 'Alpha'), ('bravo', 'Bravo') RETURNING id, slug`,
  );
  for (const w of ws) ids[w.slug] = w.id;
  const user = async (key: string, role: string, memberships: [string, string][]) => {
    const { rows } = await pool.query<{ id: number }>(`INSERT INTO app_user (email, name, password_hash, role) VALUES ($1, $2, 'x', $3::"Role") RETURNING id`, [
      `${key}@x.test`,
      key,
      role,
    ]);
    ids[key] = rows[0].id;
    for (const [slug, memberRole] of memberships) {
      await pool.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, $3::"Role")`, [ids[slug], rows[0].id, memberRole]);
    }
    tokens[key] = (await createSession(rows[0].id)).token;
  };
  await user("root", "admin", []); // instance admin
  await user("alphaAdmin", "moderator", [["alpha", "admin"]]);
  await user("alphaMod", "moderator", [["alpha", "moderator"]]);
  await user("bravoAdmin", "moderator", [["bravo", "admin"]]);
  await user("loner", "moderator", []);
});
afterAll(() => drop());

function call(handler: THandler, opts: { method: string; path: string; token: string; body?: unknown; params?: Record<string, string>; origin?: string }) {
  const hasBody = opts.body !== undefined;
  const req = new Request(`${ORIGIN}${opts.path}`, {
    method: opts.method,
    headers: { cookie: `modloop_session=${opts.token}`, origin: opts.origin ?? ORIGIN, ...(hasBody ? { "content-type": "application/json" } : {}) },
    body: hasBody ? JSON.stringify(opts.body) : undefined,
  });
  return handler(req, { params: Promise.resolve(opts.params ?? {}) });
}
const json = async (res: Response) => ({ status: res.status, body: await res.json() });
const counts = async () =>
  (
    await getPool().query(
      `SELECT (SELECT count(*)::int FROM workspace) AS workspaces, (SELECT count(*)::int FROM category) AS categories, (SELECT count(*)::int FROM workspace_member) AS members`,
    )
  ).rows[0];

const workspacesRoute = () => import("./route.ts");
const workspaceRoute = () => import("../w/[workspace]/route.ts");
const membersRoute = () => import("../w/[workspace]/members/route.ts");
const memberRoute = () => import("../w/[workspace]/members/[id]/route.ts");

describe("POST /api/workspaces", () => {
  it("an instance admin creates a workspace from a template and is its admin member; the list shows it", async () => {
    const { POST, GET } = await workspacesRoute();
    const res = await json(
      await call(POST as THandler, { method: "POST", path: "/api/workspaces", token: tokens.root, body: { name: "Hate speech (EN)", template: "olid" } }),
    );
    expect(res).toMatchObject({ status: 201, body: { workspace: { slug: "hate-speech-en", categoryCount: 5 } } });
    const { rows } = await getPool().query(
      `SELECT m.role FROM workspace_member m JOIN workspace w ON w.id = m.workspace_id WHERE w.slug = 'hate-speech-en' AND m.user_id = $1`,
      [ids.root],
    );
    expect(rows).toEqual([{ role: "admin" }]);
    const list = await json(await call(GET as THandler, { method: "GET", path: "/api/workspaces", token: tokens.root }));
    expect(list.body.workspaces.map((w: { slug: string }) => w.slug)).toContain("hate-speech-en");
  });

  it("from a file's categories; two non-toxic classes or a clashing hotkey answer 422 naming item and field, and write nothing", async () => {
    const { POST } = await workspacesRoute();
    const before = await counts();
    const bad = await json(
      await call(POST as THandler, {
        method: "POST",
        path: "/api/workspaces",
        token: tokens.root,
        body: {
          name: "Bad",
          categories: [
            { name: "a", hotkey: 1, isNonToxic: true },
            { name: "b", hotkey: 1, isNonToxic: true },
          ],
        },
      }),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain("categories: item 2, hotkey: Hotkey 1 is already used by “a” on item 1");
    expect(bad.body.error.message).toContain("categories: item 2, non_toxic:");
    expect(await counts()).toEqual(before);
    const good = await json(
      await call(POST as THandler, {
        method: "POST",
        path: "/api/workspaces",
        token: tokens.root,
        body: { name: "Customer", slug: "customer", categories: [{ name: "hate" }, { name: "offensive" }, { name: "non-toxic", isNonToxic: true }] },
      }),
    );
    expect(good).toMatchObject({ status: 201, body: { workspace: { slug: "customer", categoryCount: 3 } } });
  });

  it("a taken slug is 409 naming the slug; a malformed body is 422 naming body.x; nothing is written", async () => {
    const { POST } = await workspacesRoute();
    const before = await counts();
    const taken = await json(
      await call(POST as THandler, { method: "POST", path: "/api/workspaces", token: tokens.root, body: { name: "x", slug: "alpha", template: "blank" } }),
    );
    expect(taken).toMatchObject({
      status: 409,
      body: { error: { message: expect.stringMatching(/^slug: a workspace with the slug “alpha” already exists/) } },
    });
    const malformed = await json(
      await call(POST as THandler, { method: "POST", path: "/api/workspaces", token: tokens.root, body: { name: "x", slug: "Not A Slug", template: "blank" } }),
    );
    expect(malformed).toMatchObject({ status: 422, body: { error: { message: expect.stringMatching(/^body\.slug: /) } } });
    expect(await counts()).toEqual(before);
  });

  it("only instance admins create workspaces (a workspace admin gets 403), and a cross-site request is refused (403)", async () => {
    const { POST } = await workspacesRoute();
    const before = await counts();
    for (const who of ["alphaAdmin", "alphaMod", "loner"]) {
      const res = await call(POST as THandler, { method: "POST", path: "/api/workspaces", token: tokens[who], body: { name: `By ${who}`, template: "blank" } });
      expect({ who, status: res.status }).toEqual({ who, status: 403 });
    }
    const csrf = await call(POST as THandler, {
      method: "POST",
      path: "/api/workspaces",
      token: tokens.root,
      body: { name: "Cross-site", template: "blank" },
      origin: "https://evil.test",
    });
    expect(csrf.status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe("PATCH /api/w/<slug>", () => {
  it("a workspace admin renames it (the slug stays); a moderator there gets 403, another workspace's admin 404", async () => {
    const { PATCH } = await workspaceRoute();
    const patch = (who: string, slug: string, body: unknown) =>
      call(PATCH as THandler, { method: "PATCH", path: `/api/w/${slug}`, token: tokens[who], body, params: { workspace: slug } });
    expect((await patch("alphaMod", "alpha", { name: "Mine now" })).status).toBe(403);
    expect((await patch("bravoAdmin", "alpha", { name: "Mine now" })).status).toBe(404);
    expect((await json(await patch("alphaAdmin", "alpha", { name: " " }))).body.error.message).toMatch(/^body\.name: /);
    expect(await json(await patch("alphaAdmin", "alpha", { name: "Alpha (EU)" }))).toMatchObject({
      status: 200,
      body: { workspace: { slug: "alpha", name: "Alpha (EU)", archivedAt: null } },
    });
  });

  it("archived: reads still answer, writes answer 409 saying so, and only restoring is allowed", async () => {
    const { PATCH } = await workspaceRoute();
    const members = await membersRoute();
    const archived = await json(
      await call(PATCH as THandler, {
        method: "PATCH",
        path: "/api/w/alpha",
        token: tokens.alphaAdmin,
        body: { isArchived: true },
        params: { workspace: "alpha" },
      }),
    );
    expect(archived.body.workspace.archivedAt).toEqual(expect.any(String));

    const read = await call(members.GET as THandler, { method: "GET", path: "/api/w/alpha/members", token: tokens.alphaAdmin, params: { workspace: "alpha" } });
    expect(read.status).toBe(200);
    const before = await counts();
    const write = await json(
      await call(members.PUT as THandler, {
        method: "PUT",
        path: "/api/w/alpha/members",
        token: tokens.alphaAdmin,
        body: { email: "loner@x.test", role: "moderator" },
        params: { workspace: "alpha" },
      }),
    );
    expect(write).toMatchObject({ status: 409, body: { error: { code: "CONFLICT", message: expect.stringContaining("is archived") } } });
    const rename = await call(PATCH as THandler, {
      method: "PATCH",
      path: "/api/w/alpha",
      token: tokens.alphaAdmin,
      body: { name: "Renamed while archived" },
      params: { workspace: "alpha" },
    });
    expect(rename.status).toBe(409);
    expect(await counts()).toEqual(before);

    const restored = await json(
      await call(PATCH as THandler, {
        method: "PATCH",
        path: "/api/w/alpha",
        token: tokens.alphaAdmin,
        body: { isArchived: false },
        params: { workspace: "alpha" },
      }),
    );
    expect(restored.body.workspace.archivedAt).toBeNull();
  });
});

describe("/api/w/<slug>/members", () => {
  it("an admin adds an account by email, changes its role, removes it; each request is idempotent", async () => {
    const members = await membersRoute();
    const member = await memberRoute();
    const params = { workspace: "alpha" };
    const add = () =>
      call(members.PUT as THandler, {
        method: "PUT",
        path: "/api/w/alpha/members",
        token: tokens.alphaAdmin,
        body: { email: "LONER@x.test", role: "moderator" },
        params,
      });
    expect(await json(await add())).toMatchObject({ status: 200, body: { member: { email: "loner@x.test", role: "moderator", isMember: true } } });
    await add(); // a retry: still one membership
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM workspace_member WHERE user_id = $1`, [ids.loner]);
    expect(rows[0].n).toBe(1);

    const change = await json(
      await call(member.PUT as THandler, {
        method: "PUT",
        path: `/api/w/alpha/members/${ids.loner}`,
        token: tokens.alphaAdmin,
        body: { role: "data_scientist" },
        params: { ...params, id: String(ids.loner) },
      }),
    );
    expect(change.body.member.role).toBe("data_scientist");
    const list = await json(await call(members.GET as THandler, { method: "GET", path: "/api/w/alpha/members", token: tokens.alphaAdmin, params }));
    expect(list.body.members.map((m: { email: string; role: string; isMember: boolean }) => [m.email, m.role, m.isMember])).toEqual([
      ["alphaAdmin@x.test", "admin", true],
      ["alphaMod@x.test", "moderator", true],
      ["loner@x.test", "data_scientist", true],
      ["root@x.test", "admin", false], // an instance admin: access without a membership
    ]);

    const remove = () =>
      call(member.DELETE as THandler, {
        method: "DELETE",
        path: `/api/w/alpha/members/${ids.loner}`,
        token: tokens.alphaAdmin,
        params: { ...params, id: String(ids.loner) },
      });
    expect(await json(await remove())).toMatchObject({ status: 200, body: { isRemoved: true } });
    expect(await json(await remove())).toMatchObject({ status: 200, body: { isRemoved: false } });
  });

  it("unknown emails are 404 naming the field; nobody changes their own membership; a bad role is 422; nothing is written", async () => {
    const members = await membersRoute();
    const member = await memberRoute();
    const params = { workspace: "alpha" };
    const before = await counts();
    const unknown = await json(
      await call(members.PUT as THandler, {
        method: "PUT",
        path: "/api/w/alpha/members",
        token: tokens.alphaAdmin,
        body: { email: "nobody@x.test", role: "moderator" },
        params,
      }),
    );
    expect(unknown).toMatchObject({ status: 404, body: { error: { message: expect.stringMatching(/^email: no account has the email nobody@x.test/) } } });
    const self = await call(member.PUT as THandler, {
      method: "PUT",
      path: `/api/w/alpha/members/${ids.alphaAdmin}`,
      token: tokens.alphaAdmin,
      body: { role: "moderator" },
      params: { ...params, id: String(ids.alphaAdmin) },
    });
    expect(self.status).toBe(409);
    const badRole = await json(
      await call(member.PUT as THandler, {
        method: "PUT",
        path: `/api/w/alpha/members/${ids.alphaMod}`,
        token: tokens.alphaAdmin,
        body: { role: "owner" },
        params: { ...params, id: String(ids.alphaMod) },
      }),
    );
    expect(badRole).toMatchObject({ status: 422, body: { error: { message: expect.stringMatching(/^body\.role: /) } } });
    expect(await counts()).toEqual(before);
  });

  it("a moderator of the workspace gets 403 on every members route; another workspace's admin 404", async () => {
    const members = await membersRoute();
    const member = await memberRoute();
    const before = await counts();
    for (const [who, status] of [
      ["alphaMod", 403],
      ["bravoAdmin", 404],
    ] as const) {
      const params = { workspace: "alpha", id: String(ids.alphaMod) };
      const results = [
        await call(members.GET as THandler, { method: "GET", path: "/api/w/alpha/members", token: tokens[who], params }),
        await call(members.PUT as THandler, {
          method: "PUT",
          path: "/api/w/alpha/members",
          token: tokens[who],
          body: { email: `${who}@x.test`, role: "admin" },
          params,
        }),
        await call(member.PUT as THandler, { method: "PUT", path: "/api/w/alpha/members/1", token: tokens[who], body: { role: "admin" }, params }),
        await call(member.DELETE as THandler, { method: "DELETE", path: "/api/w/alpha/members/1", token: tokens[who], params }),
      ];
      expect({ who, statuses: results.map((r) => r.status) }).toEqual({ who, statuses: [status, status, status, status] });
    }
    expect(await counts()).toEqual(before);
  });
});
