import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { importUpload, previewUpload } from "./import-upload.ts";

let drop: () => Promise<void>;
let workspaceId: number;
let userId: number;

beforeAll(async () => {
  const tdb = await createTestDatabase();
  drop = tdb.drop;
  userId = (await tdb.prisma.user.create({ data: { email: "a@example.test", name: "A", passwordHash: "x", role: "admin" } })).id;
  workspaceId = (await tdb.prisma.workspace.create({ data: { slug: "w", name: "W" } })).id;
  await tdb.prisma.category.createMany({
    data: [
      { workspaceId, name: "non-toxic", isNonToxic: true, hotkey: 1 },
      { workspaceId, name: "Hate", hotkey: 2 },
      { workspaceId, name: "Offensive", hotkey: 3 },
      { workspaceId, name: "Spam", hotkey: null, isActive: false },
    ],
  });
});
afterAll(async () => drop());

function upload(parts: [string, string | Blob, string?][]): Request {
  const form = new FormData();
  for (const [name, value, filename] of parts) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, value, filename);
  }
  return new Request("http://localhost/api/imports/preview", { method: "POST", body: form });
}

const CSV = [
  "tweet_id,tweet,class",
  "t1,  have a nice day  ,NON-TOXIC",
  "t2,you people are vermin,hate",
  "t3,shut up noob,offensive-ish",
  't4,"broken "quote,hate',
  "t5,buy cheap gold,spam",
  "t1,a different text,hate",
].join("\n");

const counts = async () =>
  (
    await getPool().query(
      `SELECT (SELECT count(*)::int FROM excerpt) AS excerpts, (SELECT count(*)::int FROM import_batch) AS batches, (SELECT count(*)::int FROM decision) AS decisions`,
    )
  ).rows[0];

describe("previewUpload", () => {
  it("shows the rows as stored, the detected columns and the proposed label mapping, and writes nothing", async () => {
    const before = await counts();
    const preview = await previewUpload({ workspaceId, request: upload([["file", new Blob([CSV]), "mine.csv"]]) });
    expect(await counts()).toEqual(before);
    expect(preview.columns).toEqual(["tweet_id", "tweet", "class"]);
    expect(preview.detected).toMatchObject({ text: "tweet", label: "class" });
    expect(preview.totalRows).toBe(6);
    expect(preview.rows[0]).toEqual({
      line: 2,
      excerpt: {
        text: "have a nice day",
        externalId: null,
        source: "text",
        game: null,
        channel: null,
        conversationId: null,
        speakerId: null,
        occurredAt: null,
        label: "NON-TOXIC",
      },
    });
    expect(preview.rows.filter((r) => "error" in r).map((r) => r.line)).toEqual([5]);
    expect(preview.labels).toEqual([
      { label: "hate", count: 2, category: "Hate" },
      { label: "NON-TOXIC", count: 1, category: "non-toxic" },
      { label: "offensive-ish", count: 1, category: null },
      { label: "spam", count: 1, category: null, note: 'the category "Spam" is inactive' },
    ]);
    expect(preview.categories).toContainEqual({ name: "Spam", isActive: false });
    expect(preview.skipped.map((g) => [g.count, g.lines])).toEqual([[1, [5]]]);
  });

  it("reports an in-file duplicate id with both lines when tweet_id is mapped as the external id", async () => {
    const preview = await previewUpload({
      workspaceId,
      request: upload([
        ["mapping", JSON.stringify({ external_id: "tweet_id" })],
        ["file", new Blob([CSV]), "mine.csv"],
      ]),
    });
    const duplicate = preview.skipped.find((g) => g.reason.startsWith("external id already used"));
    expect(duplicate).toMatchObject({ count: 1, lines: [7], details: [expect.stringContaining("already used on line 2")] });
  });

  it("refuses a file it cannot import at all, writing nothing", async () => {
    await expect(previewUpload({ workspaceId, request: upload([["file", new Blob(["a,b\n1,2\n"]), "x.csv"]]) })).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringContaining("no text column"),
    });
    expect((await counts()).batches).toBe(0);
  });
});

describe("an archived workspace", () => {
  it("is refused by the preview, naming it", async () => {
    await getPool().query(`UPDATE workspace SET archived_at = now() WHERE id = $1`, [workspaceId]);
    try {
      await expect(previewUpload({ workspaceId, request: upload([["file", new Blob([CSV]), "mine.csv"]]) })).rejects.toMatchObject({
        code: "CONFLICT",
        message: expect.stringContaining('"w" is archived'),
      });
    } finally {
      await getPool().query(`UPDATE workspace SET archived_at = NULL WHERE id = $1`, [workspaceId]);
    }
  });
});

describe("the import after the preview", () => {
  it("takes the confirmed label mapping, and refuses one onto an inactive category naming it, writing nothing", async () => {
    const refused = importUpload({
      workspaceId,
      userId,
      request: upload([
        ["labelMap", JSON.stringify({ spam: "Spam" })],
        ["file", new Blob([CSV]), "mine.csv"],
      ]),
    });
    await expect(refused).rejects.toMatchObject({ code: "VALIDATION", message: expect.stringContaining('"spam" → "Spam"') });
    expect(await counts()).toMatchObject({ excerpts: 0, batches: 0 });

    const labelMap = { hate: "Hate", "NON-TOXIC": "non-toxic", "offensive-ish": "Offensive" };
    const summary = await importUpload({
      workspaceId,
      userId,
      request: upload([
        ["labelMap", JSON.stringify(labelMap)],
        ["file", new Blob([CSV]), "mine.csv"],
      ]),
    });
    expect(summary).toMatchObject({ totalRows: 6, insertedRows: 4, labelledRows: 4, errorRows: 2 });
    expect(summary.skipped.map((g) => g.lines)).toEqual([[5], [6]]);
    expect(summary.skipped[1].reason).toContain('names the inactive category "Spam"');
  });
});
