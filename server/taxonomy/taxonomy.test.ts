import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { runIdempotent } from "../idempotency/run-idempotent.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { createCategory } from "./create-category.ts";
import { listCategories } from "./list-categories.ts";
import { ZCreateCategory, ZUpdateCategory } from "@/lib/taxonomy/contract.ts";
import { updateCategory } from "./update-category.ts";

let drop: () => Promise<void>;
let workspaceId: number;

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  workspaceId = (await t.prisma.workspace.create({ data: { slug: "default", name: "W" } })).id;
});
afterAll(() => drop());

const create = (input: Record<string, unknown>) => createCategory({ workspaceId, input: ZCreateCategory.parse(input) });
const update = (categoryId: number, changes: Record<string, unknown>) => updateCategory({ workspaceId, categoryId, changes: ZUpdateCategory.parse(changes) });

describe("taxonomy rules", () => {
  it("creates categories in order and allows exactly one non-toxic class", async () => {
    const clean = await create({ name: "Clean", hotkey: 1, isNonToxic: true });
    const insult = await create({ name: "Insult", hotkey: 2 });
    expect(insult.sortOrder).toBeGreaterThan(clean.sortOrder);
    await expect(create({ name: "Also clean", isNonToxic: true })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Clean") });
  });

  it("names the category that already uses a hotkey or a name", async () => {
    await expect(create({ name: "Threat", hotkey: 2 })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("Hotkey 2 is already used by “Insult”"),
    });
    await expect(create({ name: "insult" })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("“Insult” already exists") });
    const threat = await create({ name: "Threat", hotkey: 3 });
    await expect(update(threat.id, { hotkey: 2 })).rejects.toMatchObject({ message: expect.stringContaining("“Insult”") });
  });

  it("never deletes: deactivating frees the hotkey, and the non-toxic class cannot be deactivated", async () => {
    const [clean, insult] = await listCategories({ workspaceId });
    await expect(update(clean.id, { isActive: false })).rejects.toMatchObject({ code: "CONFLICT" });
    await update(insult.id, { isActive: false });
    const spam = await create({ name: "Spam", hotkey: 2 });
    expect(spam.hotkey).toBe(2);
    // reactivating with a clashing hotkey is refused, with the clash named
    await expect(update(insult.id, { isActive: true })).rejects.toMatchObject({ message: expect.stringContaining("“Spam”") });
    expect(await listCategories({ workspaceId })).toHaveLength(4);
    expect(await listCategories({ workspaceId, isActiveOnly: true })).toHaveLength(3);
  });

  it("moves the non-toxic flag in one step, keeping exactly one", async () => {
    const all = await listCategories({ workspaceId });
    const spam = all.find((c) => c.name === "Spam")!;
    await update(spam.id, { isNonToxic: true });
    const after = await listCategories({ workspaceId });
    expect(after.filter((c) => c.isNonToxic).map((c) => c.name)).toEqual(["Spam"]);
  });

  it("rejects malformed colours and hotkeys at the boundary", () => {
    expect(() => ZCreateCategory.parse({ name: "X", color: "red" })).toThrow(/hex/);
    expect(() => ZCreateCategory.parse({ name: "X", hotkey: 0 })).toThrow(/1–9/);
  });

  // A request with an Idempotency-Key whose answer was never stored (the process died after the write):
  // the category must not be left behind, or the retry answers "already exists" to its own request.
  it("creates the category in the idempotent request's transaction: a failure before the answer leaves none, the retry creates it once", async () => {
    const pool = getPool();
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO app_user (email, name, password_hash, role) VALUES ('tax-admin@x.test', 'A', 'x', 'admin') RETURNING id`,
    );
    const input = ZCreateCategory.parse({ name: "Retried", hotkey: 8 });
    const scope = { userId: rows[0]!.id, workspaceId, key: "create-retried-category-1", operation: "taxonomy.category.create", request: input };
    const count = async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM category WHERE name = 'Retried'`)).rows[0]!.n;
    await expect(
      runIdempotent(scope, async () => {
        await createCategory({ workspaceId, input });
        throw new Error("the process died before the answer was stored");
      }),
    ).rejects.toThrow("died");
    expect(await count()).toBe(0);
    const first = await runIdempotent(scope, () => createCategory({ workspaceId, input }));
    expect(await runIdempotent(scope, () => createCategory({ workspaceId, input }))).toEqual(first);
    expect(await count()).toBe(1);
  });

  it("two creations of one name at once: one category, the other told it exists", async () => {
    const results = await Promise.allSettled([create({ name: "Raced", hotkey: null }), create({ name: "raced", hotkey: null })]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT" });
  });
});
