import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
});
