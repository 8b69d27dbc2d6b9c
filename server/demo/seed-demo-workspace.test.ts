import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TAXONOMY } from "@/lib/demo/demo-taxonomy.ts";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/demo/demo-users.ts";
import { generateDemoChat } from "@/lib/demo/generate-demo-chat.ts";
import { verifyPassword } from "../auth/password.ts";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { seedDemoWorkspace } from "./seed-demo-workspace.ts";

// A smaller demo keeps the test quick; the full one only differs in how many matches it generates.
const CONVERSATIONS = 30;
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let first: Awaited<ReturnType<typeof seedDemoWorkspace>>;

/** Row counts of every table the seed writes: "seeding twice changes nothing" means these stay put. */
async function tableCounts(): Promise<Record<string, number>> {
  const tables = ["workspace", "category", "app_user", "excerpt", "import_batch", "decision", "model_version", "prediction", "queue_item"];
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t}"`);
    counts[t] = rows[0]!.n;
  }
  return counts;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  first = await seedDemoWorkspace({ conversations: CONVERSATIONS, hasReviewHistory: false });
}, 120_000);

afterAll(async () => {
  await testDb?.drop();
});

describe("seedDemoWorkspace", () => {
  it("creates the six-category taxonomy with exactly one non-toxic class and hotkeys 1–6", async () => {
    const categories = await testDb.prisma.category.findMany({ where: { workspaceId: first.workspaceId }, orderBy: { sortOrder: "asc" } });
    expect(categories.map((c) => [c.name, c.hotkey, c.isNonToxic])).toEqual(DEMO_TAXONOMY.map((c) => [c.name, c.hotkey, c.isNonToxic]));
    expect(categories.filter((c) => c.isNonToxic)).toHaveLength(1);
    expect(categories.every((c) => c.description.length > 20)).toBe(true);
  });

  it("creates one account per role with an argon2id hash of the demo password", async () => {
    const users = await testDb.prisma.user.findMany({ orderBy: { id: "asc" } });
    expect(users.map((u) => [u.email, u.role])).toEqual(DEMO_USERS.map((u) => [u.email, u.role]));
    for (const u of users) {
      expect(u.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(DEMO_PASSWORD, u.passwordHash)).toBe(true);
    }
  });

  it("imports every generated line, with the labelled ones as import decisions", async () => {
    const lines = generateDemoChat({ conversations: CONVERSATIONS });
    expect(first.importedExcerpts).toBe(lines.length);
    const labelled = lines.filter((l) => l.label);
    expect(first.labelledExcerpts).toBe(labelled.length);
    const { rows } = await getPool().query<{ external_id: string; name: string }>(
      `SELECT e.external_id, c.name FROM excerpt e JOIN category c ON c.id = e.current_category_id WHERE e.workspace_id = $1`,
      [first.workspaceId],
    );
    expect(new Map(rows.map((r) => [r.external_id, r.name]))).toEqual(new Map(labelled.map((l) => [l.externalId, l.label])));
    const sample = lines.find((l) => l.source === "voice")!;
    const stored = await testDb.prisma.excerpt.findFirstOrThrow({ where: { externalId: sample.externalId } });
    expect(stored).toMatchObject({ text: sample.text, source: "voice", game: sample.game, conversationId: sample.conversationId, speakerId: sample.speakerId });
    expect(stored.occurredAt?.toISOString()).toBe(sample.occurredAt);
  });

  it("trains and activates the default model and scores every excerpt", async () => {
    const workspace = await testDb.prisma.workspace.findUniqueOrThrow({ where: { id: first.workspaceId } });
    expect(workspace.activeModelVersionId).toBe(first.trainedModelVersionId);
    const excerpts = await testDb.prisma.excerpt.count({ where: { workspaceId: first.workspaceId } });
    const predictions = await testDb.prisma.prediction.count({ where: { modelVersionId: workspace.activeModelVersionId! } });
    expect(predictions).toBe(excerpts);
    expect(first.scoredExcerpts).toBe(excerpts);
  });

  it("changes nothing when run again", async () => {
    const before = await tableCounts();
    const again = await seedDemoWorkspace({ conversations: CONVERSATIONS, hasReviewHistory: false });
    expect(again).toMatchObject({
      workspaceId: first.workspaceId,
      createdCategories: 0,
      createdUsers: 0,
      importedExcerpts: 0,
      trainedModelVersionId: null,
      scoredExcerpts: 0,
    });
    expect(await tableCounts()).toEqual(before);
  });
});
