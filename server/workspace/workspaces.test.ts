import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZCreateWorkspace } from "@/lib/workspace/contract.ts";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { createWorkspace } from "./create-workspace.ts";
import { listWorkspaces } from "./list-workspaces.ts";
import { renameWorkspace } from "./rename-workspace.ts";

let drop: () => Promise<void>;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
});
afterAll(() => drop());

const create = (input: Record<string, unknown>) => createWorkspace({ input: ZCreateWorkspace.parse(input), creatorUserId: null });
const counts = async () =>
  (await getPool().query(`SELECT (SELECT count(*)::int FROM workspace) AS workspaces, (SELECT count(*)::int FROM category) AS categories`)).rows[0];
const categoriesOf = async (slug: string) =>
  (
    await getPool().query(
      `SELECT c.name, c.hotkey, c.is_non_toxic AS "isNonToxic", c.sort_order AS "sortOrder", c.color FROM category c JOIN workspace w ON w.id = c.workspace_id
        WHERE w.slug = $1 ORDER BY c.sort_order`,
      [slug],
    )
  ).rows;

describe("createWorkspace", () => {
  it("from a template: slug from the name, the template's categories in order", async () => {
    const created = await create({ name: "Hate speech (EN)", template: "olid" });
    expect(created).toMatchObject({ slug: "hate-speech-en", name: "Hate speech (EN)", categoryCount: 5, archivedAt: null });
    expect((await categoriesOf("hate-speech-en")).map((c) => [c.name, c.hotkey, c.isNonToxic, c.sortOrder])).toEqual([
      ["IND", 1, false, 1],
      ["GRP", 2, false, 2],
      ["OTH", 3, false, 3],
      ["UNT", 4, false, 4],
      ["NOT", 5, true, 5],
    ]);
  });

  it("from a file's categories, with an explicit slug; new workspaces get the validation defaults", async () => {
    const created = await create({
      name: "Customer X",
      slug: "cx",
      categories: [{ name: "hate" }, { name: "offensive", color: "#F97316" }, { name: "non-toxic", isNonToxic: true }],
    });
    expect(created.slug).toBe("cx");
    expect(await categoriesOf("cx")).toEqual([
      expect.objectContaining({ name: "hate", hotkey: 1, isNonToxic: false }),
      expect.objectContaining({ name: "offensive", hotkey: 2, color: "#f97316" }),
      expect.objectContaining({ name: "non-toxic", hotkey: 3, isNonToxic: true }),
    ]);
    const { rows } = await getPool().query(`SELECT rank_strategy, retrain_every FROM workspace WHERE slug = 'cx'`);
    expect(rows[0]).toEqual({ rank_strategy: "margin", retrain_every: 200 });
  });

  it("refuses a taken slug, naming the workspace that has it, and writes nothing", async () => {
    const before = await counts();
    await expect(create({ name: "Other", slug: "cx", template: "toxic-binary" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "slug: a workspace with the slug “cx” already exists (“Customer X”). Choose another slug or name.",
    });
    // the same name twice (a retried request) is refused too, never given a second, suffixed slug
    await expect(create({ name: "Hate speech (EN)", template: "blank" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await counts()).toEqual(before);
  });

  it("two concurrent creates of one slug make exactly one workspace", async () => {
    const before = await counts();
    const results = await Promise.allSettled([1, 2, 3].map(() => create({ name: "Race", template: "toxic-binary" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(["CONFLICT", "CONFLICT"]);
    expect(await counts()).toEqual({ workspaces: before.workspaces + 1, categories: before.categories + 2 });
  });

  it("refuses a taxonomy with two non-toxic classes or clashing hotkeys, naming item and field, and writes nothing", async () => {
    const before = await counts();
    await expect(
      create({
        name: "Bad",
        categories: [
          { name: "a", isNonToxic: true, hotkey: 1 },
          { name: "b", isNonToxic: true, hotkey: 1 },
        ],
      }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      message:
        "categories: item 2, hotkey: Hotkey 1 is already used by “a” on item 1: give each category its own key.; " +
        "categories: item 2, non_toxic: “b” is marked non-toxic, and so is “a” on item 1: mark exactly one category non-toxic.",
    });
    expect(await counts()).toEqual(before);
  });

  it("asks for a slug when the name gives none, and the schema wants a template or categories, not both", async () => {
    await expect(create({ name: "日本語", template: "blank" })).rejects.toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/^slug: /) });
    expect(ZCreateWorkspace.safeParse({ name: "x" }).error?.issues[0]).toMatchObject({ path: ["template"] });
    expect(ZCreateWorkspace.safeParse({ name: "x", template: "blank", categories: [] }).success).toBe(false);
    expect(ZCreateWorkspace.safeParse({ name: "x", template: "nope" }).error?.issues[0].path).toEqual(["template"]);
    expect(ZCreateWorkspace.safeParse({ name: "x", slug: "Bad Slug", template: "blank" }).error?.issues[0].path).toEqual(["slug"]);
    expect(ZCreateWorkspace.safeParse({ name: " ", template: "blank" }).error?.issues[0].path).toEqual(["name"]);
  });
});

describe("renameWorkspace and listWorkspaces", () => {
  it("renames without changing the slug, and lists every workspace with its size", async () => {
    const [first] = await listWorkspaces();
    expect(await renameWorkspace({ workspaceId: first.id, name: "Hate speech (English)" })).toEqual({ slug: "hate-speech-en", name: "Hate speech (English)" });
    const list = await listWorkspaces();
    expect(list.map((w) => w.slug)).toEqual(["hate-speech-en", "cx", "race"]);
    expect(list[0]).toMatchObject({ name: "Hate speech (English)", categoryCount: 5, excerptCount: 0, archivedAt: null });
    await expect(renameWorkspace({ workspaceId: 999_999, name: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("the demo's slug", () => {
  const sql = readFileSync(path.resolve(import.meta.dirname, "../../prisma/migrations/20261206110000_demo_workspace_slug/migration.sql"), "utf8");

  it("an install seeded before moves its demo from “default” to “demo”; a team's own “default” stays", async () => {
    const pool = getPool();
    await pool.query(`INSERT INTO workspace (slug, name) VALUES ('default', 'Demo: game chat')`);
    await pool.query(sql);
    expect((await pool.query(`SELECT slug FROM workspace WHERE name = 'Demo: game chat'`)).rows).toEqual([{ slug: "demo" }]);
    await pool.query(`UPDATE workspace SET name = 'Our chat' WHERE slug = 'demo'`);
    await pool.query(`INSERT INTO workspace (slug, name) VALUES ('default', 'Demo: game chat')`);
    await pool.query(sql); // "demo" is taken: nothing moves
    expect((await pool.query(`SELECT slug, name FROM workspace WHERE slug IN ('demo', 'default') ORDER BY slug`)).rows).toEqual([
      { slug: "default", name: "Demo: game chat" },
      { slug: "demo", name: "Our chat" },
    ]);
  });
});
