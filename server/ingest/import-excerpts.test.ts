import { Readable } from "node:stream";
import { beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";
import { importExcerpts } from "./import-excerpts.ts";
import { createTestWorkspace, setUpImportTestDatabase } from "./ingest-test-setup.ts";
import { importRecords } from "./import-records.ts";

const db = setUpImportTestDatabase();
let workspaceId: number;
let userId: number;
let category: Record<string, number>;

// every test gets its own workspace, so counts never leak between tests
beforeEach(async () => {
  const pool = getPool();
  userId = db.userId();
  workspaceId = await createTestWorkspace();
  category = {};
  for (const [i, name] of ["Non-toxic", "Harassment", "Profanity", "Hate speech"].entries()) {
    const { rows: c } = await pool.query<{ id: number }>(
      `INSERT INTO category (workspace_id, name, hotkey, sort_order, is_non_toxic) VALUES ($1, $2, $3, $3, $4) RETURNING id`,
      [workspaceId, name, i + 1, i === 0],
    );
    category[name] = c[0].id;
  }
});

const csvInput = (text: string) => Readable.from([Buffer.from(text)]);

async function excerpts() {
  const { rows } = await getPool().query(
    `SELECT id::text, external_id, text, source, game, conversation_id, speaker_id, occurred_at, current_category_id, held_out, import_batch_id
       FROM excerpt WHERE workspace_id = $1 ORDER BY excerpt.id`,
    [workspaceId],
  );
  return rows;
}

async function decisions() {
  const { rows } = await getPool().query(`SELECT excerpt_id::text, user_id, kind, origin, category_id FROM decision WHERE workspace_id = $1 ORDER BY id`, [
    workspaceId,
  ]);
  return rows;
}

const CHAT = [
  "id,message,conversation,player,timestamp,game,source",
  "m1,gg ez,c1,p1,2026-11-28T10:00:00Z,Dota 2,text",
  'm2,"you are trash, uninstall",c1,p2,1764324000,Dota 2,text',
  "m3,nice shot,c1,p1,2026-11-28T10:00:05Z,Dota 2,teleport",
  'm4,"multi',
  'line ""quoted""",c2,p3,,Valorant,voice',
  "m5,wp all,c2,p4,not a date,Valorant,voice",
  "m6,see you next game,c2,p3,,Valorant,",
].join("\n");

describe("importExcerpts", () => {
  it("reports bad rows with their line numbers and imports the rest", async () => {
    const summary = await importExcerpts({ workspaceId, userId, input: csvInput(CHAT), format: "csv", filename: "chat.csv" });
    expect(summary).toMatchObject({ totalRows: 6, insertedRows: 4, duplicateRows: 0, labelledRows: 0, errorRows: 2 });
    expect(summary.errors).toEqual([
      { line: 4, reason: 'source must be "text" or "voice" (got "teleport")' },
      { line: 7, reason: 'occurred_at must be an ISO 8601 date or a Unix epoch (got "not a date")' },
    ]);
    const rows = await excerpts();
    expect(rows.map((r) => r.external_id)).toEqual(["m1", "m2", "m4", "m6"]);
    expect(rows[1]).toMatchObject({ text: "you are trash, uninstall", conversation_id: "c1", speaker_id: "p2", game: "Dota 2", source: "text" });
    expect(rows[1].occurred_at.toISOString()).toBe("2025-11-28T10:00:00.000Z");
    expect(rows[2]).toMatchObject({ text: 'multi\nline "quoted"', source: "voice", occurred_at: null });
    expect(rows.every((r) => r.import_batch_id === summary.importBatchId && r.held_out === false)).toBe(true);

    const { rows: batch } = await getPool().query(`SELECT * FROM import_batch WHERE id = $1`, [summary.importBatchId]);
    expect(batch[0]).toMatchObject({ status: "done", filename: "chat.csv", format: "csv", total_rows: 6, inserted_rows: 4, error_rows: 2, user_id: userId });
    expect(batch[0].errors).toEqual(summary.errors);
    expect(batch[0].finished_at).toBeInstanceOf(Date);
  });

  it("creates no duplicates when the same rows are imported again", async () => {
    const first = await importExcerpts({ workspaceId, userId, input: csvInput(CHAT), format: "csv", filename: "chat.csv", chunkSize: 2 });
    const again = await importExcerpts({ workspaceId, userId, input: csvInput(CHAT), format: "csv", filename: "chat.csv", chunkSize: 3 });
    expect(first.insertedRows).toBe(4);
    expect(again).toMatchObject({ totalRows: 6, insertedRows: 0, duplicateRows: 4, errorRows: 2 });
    expect(await excerpts()).toHaveLength(4);
  });

  it("dedups rows without an external id by normalised text within a conversation", async () => {
    const csv = ["text,conversation_id", "GG  EZ,c1", "gg ez\u200B,c1", "ｇｇ ｅｚ,c1", "gg ez,c2", "gg ez,"].join("\r\n");
    const summary = await importExcerpts({ workspaceId, userId, input: csvInput(csv), format: "csv", filename: "dups.csv" });
    expect(summary).toMatchObject({ totalRows: 5, insertedRows: 3, duplicateRows: 2 });
    // the first spelling is the one kept
    expect((await excerpts()).map((r) => [r.text, r.conversation_id])).toEqual([
      ["GG  EZ", "c1"],
      ["gg ez", "c2"],
      ["gg ez", null],
    ]);
  });

  it("maps labels onto the taxonomy, writes import decisions and reports unknown labels", async () => {
    const csv = [
      "comment_text,label",
      "have a nice day,clean",
      "you idiot,Toxic",
      "what the f***,obscene",
      "just chatting,",
      "buy gold at example.com,spam",
      "I hate you people,hate speech",
    ].join("\n");
    const summary = await importExcerpts({
      workspaceId,
      userId,
      input: csvInput(csv),
      format: "csv",
      filename: "labelled.csv",
      labelMap: { toxic: "harassment", obscene: "profanity", clean: "non-toxic" },
    });
    expect(summary).toMatchObject({ totalRows: 6, insertedRows: 5, labelledRows: 4, errorRows: 1 });
    expect(summary.errors).toEqual([{ line: 6, reason: expect.stringContaining('unknown label "spam"') }]);
    const rows = await excerpts();
    expect(rows.map((r) => [r.text, r.current_category_id])).toEqual([
      ["have a nice day", category["Non-toxic"]],
      ["you idiot", category.Harassment],
      ["what the f***", category.Profanity],
      ["just chatting", null],
      ["I hate you people", category["Hate speech"]],
    ]);
    const labelled = rows.filter((r) => r.current_category_id !== null);
    expect(await decisions()).toEqual(
      labelled.map((r) => ({ excerpt_id: r.id, user_id: userId, kind: "label", origin: "import", category_id: r.current_category_id })),
    );
    // importing the labelled file again adds neither excerpts nor decisions
    const again = await importExcerpts({
      workspaceId,
      userId,
      input: csvInput(csv),
      format: "csv",
      filename: "labelled.csv",
      labelMap: { toxic: "harassment", obscene: "profanity", clean: "non-toxic" },
    });
    expect(again).toMatchObject({ insertedRows: 0, labelledRows: 0, duplicateRows: 5 });
    expect(await decisions()).toHaveLength(4);
  });

  it("derives labels from Jigsaw-style 0/1 columns", async () => {
    const csv = [
      "comment_text,toxic,severe_toxic,obscene,insult",
      "thanks for the help,0,0,0,0",
      "what a fucking mess,1,0,1,0",
      "you absolute clown,0,0,0,1",
      "hmm,2,0,0,0",
    ].join("\n");
    const summary = await importExcerpts({
      workspaceId,
      userId,
      input: csvInput(csv),
      format: "csv",
      filename: "jigsaw.csv",
      labelColumns: ["obscene", "Toxic", "insult"],
      labelMap: { toxic: "harassment", obscene: "profanity", insult: "harassment", clean: "non-toxic" },
    });
    expect(summary).toMatchObject({ insertedRows: 3, labelledRows: 3, errorRows: 1 });
    expect(summary.errors).toEqual([{ line: 5, reason: 'label column "toxic" must be 0 or 1 (got "2")' }]);
    expect((await excerpts()).map((r) => r.current_category_id)).toEqual([category["Non-toxic"], category.Profanity, category.Harassment]);
    await expect(
      importExcerpts({ workspaceId, userId, input: csvInput(csv), format: "csv", filename: "j.csv", labelColumns: ["threat"] }),
    ).rejects.toMatchObject({ code: "BAD_INPUT", message: expect.stringContaining('label columns not in the header: "threat"') });
  });

  it("labels excerpts already imported without a label, but never overrides a label", async () => {
    const unlabelled = ["id,text", "a1,gg ez", "a2,you are trash", "a3,nice"].join("\n");
    await importExcerpts({ workspaceId, userId, input: csvInput(unlabelled), format: "csv", filename: "chat.csv" });
    const [first] = await excerpts();
    await getPool().query(`INSERT INTO queue_item (excerpt_id, workspace_id, priority) SELECT id, workspace_id, 1 FROM excerpt WHERE workspace_id = $1`, [
      workspaceId,
    ]);
    await getPool().query(`UPDATE excerpt SET current_category_id = $1 WHERE id = $2`, [category.Profanity, first.id]);
    const labelled = ["id,text,label", "a1,gg ez,non-toxic", "a2,you are trash,harassment", "a4,new one,non-toxic"].join("\n");
    const summary = await importExcerpts({ workspaceId, userId, input: csvInput(labelled), format: "csv", filename: "labels.csv" });
    expect(summary).toMatchObject({ insertedRows: 1, duplicateRows: 2, labelledRows: 2 });
    const rows = await excerpts();
    expect(rows.map((r) => [r.external_id, r.current_category_id])).toEqual([
      ["a1", category.Profanity],
      ["a2", category.Harassment],
      ["a3", null],
      ["a4", category["Non-toxic"]],
    ]);
    const { rows: open } = await getPool().query(
      `SELECT e.external_id FROM queue_item q JOIN excerpt e ON e.id = q.excerpt_id WHERE q.workspace_id = $1 AND q.is_open ORDER BY 1`,
      [workspaceId],
    );
    expect(open.map((r) => r.external_id)).toEqual(["a1", "a3"]);
    // the same file again changes nothing
    const again = await importExcerpts({ workspaceId, userId, input: csvInput(labelled), format: "csv", filename: "labels.csv" });
    expect(again).toMatchObject({ insertedRows: 0, duplicateRows: 3, labelledRows: 0 });
    expect(await decisions()).toHaveLength(2);
  });

  it("refuses a label map that points at a category that does not exist, before importing anything", async () => {
    const run = importExcerpts({
      workspaceId,
      userId,
      input: csvInput("text,label\na,toxic\n"),
      format: "csv",
      filename: "x.csv",
      labelMap: { toxic: "insults" },
    });
    await expect(run).rejects.toMatchObject({ code: "VALIDATION", message: expect.stringContaining("toxic=insults") });
    expect(await excerpts()).toHaveLength(0);
  });

  it("marks held-out imports as gold test data", async () => {
    await importExcerpts({ workspaceId, userId, input: csvInput("text,label\nyou noob,harassment\n"), format: "csv", filename: "gold.csv", heldOut: true });
    expect((await excerpts())[0]).toMatchObject({ held_out: true, current_category_id: category.Harassment });
  });

  it("refuses a file without a text column, naming the columns it has", async () => {
    const run = importExcerpts({ workspaceId, userId, input: csvInput("id,author\n1,p1\n"), format: "csv", filename: "no-text.csv" });
    await expect(run).rejects.toBeInstanceOf(AppError);
    await expect(importExcerpts({ workspaceId, userId, input: csvInput("id,author\n1,p1\n"), format: "csv", filename: "no-text.csv" })).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringContaining('found "id", "author"'),
    });
    const { rows } = await getPool().query(`SELECT status, errors FROM import_batch WHERE workspace_id = $1`, [workspaceId]);
    expect(rows.map((r) => r.status)).toEqual(["failed", "failed"]);
    expect(await excerpts()).toHaveLength(0);
  });

  it("uses an explicit column mapping and refuses one naming a missing column", async () => {
    const csv = "body,msg_no,who\nhello there,17,p9\n";
    const summary = await importExcerpts({
      workspaceId,
      userId,
      input: csvInput(csv),
      format: "csv",
      filename: "m.csv",
      mapping: { text: "body", external_id: "msg_no", speaker_id: "who" },
    });
    expect(summary.insertedRows).toBe(1);
    expect((await excerpts())[0]).toMatchObject({ text: "hello there", external_id: "17", speaker_id: "p9" });
    await expect(
      importExcerpts({ workspaceId, userId, input: csvInput(csv), format: "csv", filename: "m.csv", mapping: { text: "comment" } }),
    ).rejects.toMatchObject({ code: "BAD_INPUT", message: expect.stringContaining('"comment" (for text)') });
  });

  it("imports JSONL, reporting a malformed line with its number", async () => {
    const jsonl = ['{"text":"first","id":1,"label":"profanity"}', '{"text": "broken",', "", '{"text":"third","occurred_at":1764324000000}', '{"text":""}'].join(
      "\n",
    );
    const summary = await importExcerpts({ workspaceId, userId, input: Readable.from([jsonl]), format: "jsonl", filename: "chat.jsonl" });
    expect(summary).toMatchObject({ totalRows: 4, insertedRows: 2, labelledRows: 1, errorRows: 2 });
    expect(summary.errors).toEqual([
      { line: 2, reason: expect.stringMatching(/^not valid JSON/) },
      { line: 5, reason: "text is empty" },
    ]);
    const rows = await excerpts();
    expect(rows.map((r) => [r.text, r.external_id])).toEqual([
      ["first", "1"],
      ["third", null],
    ]);
    expect(rows[1].occurred_at.toISOString()).toBe("2025-11-28T10:00:00.000Z");
  });

  it("refuses a JSONL file whose objects have no text field", async () => {
    const run = importExcerpts({ workspaceId, userId, input: Readable.from(['{"msg_body":"x"}\n']), format: "jsonl", filename: "x.jsonl" });
    await expect(run).rejects.toMatchObject({ code: "BAD_INPUT", message: expect.stringContaining('found "msg_body"') });
  });

  it("leaves no half-written chunk when a write fails, and a re-run completes the import", async () => {
    const pool = getPool();
    // a database-side failure in the middle of the second chunk's decision inserts
    await pool.query(`CREATE FUNCTION fail_on_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT text FROM excerpt WHERE id = NEW.excerpt_id) = 'boom' THEN RAISE EXCEPTION 'simulated failure'; END IF;
        RETURN NEW;
      END $$`);
    await pool.query(`CREATE TRIGGER fail_on_boom BEFORE INSERT ON decision FOR EACH ROW EXECUTE FUNCTION fail_on_boom()`);
    const csv = ["text,label", "one,harassment", "two,profanity", "three,harassment", "boom,profanity", "five,", "six,harassment"].join("\n");
    const run = (chunkSize: number, writers: number) =>
      importExcerpts({ workspaceId, userId, input: csvInput(csv), format: "csv", filename: "boom.csv", chunkSize, writers });
    try {
      // one writer: chunks commit strictly in file order, so exactly the first chunk is in
      const failed = run(2, 1);
      await expect(failed).rejects.toMatchObject({ code: "INTERNAL", message: expect.stringContaining("lines 4–5 could not be written") });
      // the first chunk is committed; nothing of the second (excerpts nor decisions) exists
      expect((await excerpts()).map((r) => r.text)).toEqual(["one", "two"]);
      expect(await decisions()).toHaveLength(2);
      const { rows: batch } = await pool.query(`SELECT status, inserted_rows, labelled_rows FROM import_batch WHERE workspace_id = $1`, [workspaceId]);
      expect(batch[0]).toEqual({ status: "failed", inserted_rows: 2, labelled_rows: 2 });
    } finally {
      await pool.query(`DROP TRIGGER fail_on_boom ON decision`);
      await pool.query(`DROP FUNCTION fail_on_boom()`);
    }
    const rerun = await run(2, 2);
    expect(rerun).toMatchObject({ insertedRows: 4, duplicateRows: 2, labelledRows: 3 });
    expect((await excerpts()).map((r) => r.text)).toEqual(["one", "two", "three", "boom", "five", "six"]);
    expect(await decisions()).toHaveLength(5);
  });

  it("with concurrent writers, a failed chunk still leaves nothing of itself", async () => {
    const pool = getPool();
    await pool.query(`CREATE FUNCTION fail_on_boom2() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.text = 'boom' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$`);
    await pool.query(`CREATE TRIGGER fail_on_boom2 BEFORE INSERT ON excerpt FOR EACH ROW EXECUTE FUNCTION fail_on_boom2()`);
    const texts = Array.from({ length: 40 }, (_, i) => (i === 17 ? "boom" : `line ${i}`));
    try {
      await expect(
        importExcerpts({ workspaceId, userId, input: csvInput(["text", ...texts].join("\n")), format: "csv", filename: "b.csv", chunkSize: 5, writers: 2 }),
      ).rejects.toMatchObject({ code: "INTERNAL", message: expect.stringContaining("lines 17–21 could not be written") });
    } finally {
      await pool.query(`DROP TRIGGER fail_on_boom2 ON excerpt`);
      await pool.query(`DROP FUNCTION fail_on_boom2()`);
    }
    const stored = new Set((await excerpts()).map((r) => r.text));
    // lines 17–21 hold texts 15–19: none of them may exist, and what exists is whole chunks
    for (const i of [15, 16, 18, 19]) expect(stored.has(`line ${i}`)).toBe(false);
    expect(stored.size % 5).toBe(0);
    const { rows } = await pool.query(`SELECT status, inserted_rows FROM import_batch WHERE workspace_id = $1`, [workspaceId]);
    expect(rows[0]).toEqual({ status: "failed", inserted_rows: stored.size });
  });

  it("reports progress per chunk and hands the new excerpt ids to onInserted", async () => {
    const lines = ["text,conversation_id", ...Array.from({ length: 25 }, (_, i) => `line ${i},c${i % 3}`)];
    const progress: number[] = [];
    const inserted: string[] = [];
    const summary = await importExcerpts({
      workspaceId,
      userId,
      input: csvInput(lines.join("\n")),
      format: "csv",
      filename: "p.csv",
      chunkSize: 10,
      writers: 1,
      onProgress: (p) => progress.push(p.insertedRows),
      onInserted: ({ excerptIds, count }) => {
        expect(excerptIds).toHaveLength(count);
        inserted.push(...excerptIds);
      },
    });
    expect(summary.insertedRows).toBe(25);
    expect(progress).toEqual([10, 20, 25]);
    expect(inserted).toEqual((await excerpts()).map((r) => r.id));
  });

  it("fails clearly for an unknown workspace or user", async () => {
    await expect(importExcerpts({ workspaceId: 999_999, userId, input: csvInput("text\na\n"), format: "csv", filename: "x.csv" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(importExcerpts({ workspaceId, userId: 999_999, input: csvInput("text\na\n"), format: "csv", filename: "x.csv" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("importExcerpts: nothing hidden, nothing left running (issue 13 items 5 and 6)", () => {
  const batchOf = async (id: number) => (await getPool().query(`SELECT status, errors, finished_at FROM import_batch WHERE id = $1`, [id])).rows[0];

  it("marks the batch failed with a storable message when the header holds a NUL byte", async () => {
    const error = await importExcerpts({ workspaceId, userId, input: csvInput("te\u0000xt,id\nhello,1\n"), format: "csv", filename: "nul.csv" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "BAD_INPUT", message: expect.stringContaining("no text column") });
    expect((error as Error).message).not.toContain("\u0000");
    const { rows } = await getPool().query(`SELECT status, errors, finished_at FROM import_batch WHERE workspace_id = $1`, [workspaceId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe("failed");
    expect(rows[0].finished_at).toBeInstanceOf(Date);
    expect(JSON.stringify(rows[0].errors)).toContain("te\\\\u0000xt");
    expect(await excerpts()).toEqual([]);
  });

  it("reports an in-file duplicate external id with a different text or label with both line numbers", async () => {
    const csv = [
      "id,text,label",
      "a1,hello,Non-toxic",
      "a2,you are trash,Harassment",
      "a1,hello again,Harassment",
      "a2,you are trash,Harassment",
      "a3,bye,",
    ].join("\n");
    const summary = await importExcerpts({ workspaceId, userId, input: csvInput(csv), format: "csv", filename: "dups.csv", chunkSize: 2 });
    expect(summary).toMatchObject({ totalRows: 5, insertedRows: 3, duplicateRows: 1, errorRows: 1 });
    expect(summary.errors).toEqual([
      { line: 4, group: expect.any(String), reason: expect.stringMatching(/external id "a1" was already used on line 2 .*line 4 is skipped/) },
    ]);
    expect(summary.skipped).toEqual([
      { reason: "external id already used earlier in the file with a different text or label", count: 1, lines: [4], details: [summary.errors[0].reason] },
    ]);
    const stored = (await excerpts()).map((r) => [r.external_id, r.text]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(stored).toEqual([
      ["a1", "hello"],
      ["a2", "you are trash"],
      ["a3", "bye"],
    ]);
  });

  it("groups skipped rows by reason with every line, and keeps the good line between a stray quote's lines", async () => {
    const csv = ["id,text,source", "1,fine,text", '2,"open by mistake,text', "3,good line,text", '4,stray" quote,text', "5,x,teleport", "6,y,teleport"].join(
      "\n",
    );
    const summary = await importExcerpts({ workspaceId, userId, input: csvInput(csv), format: "csv", filename: "q.csv" });
    expect(summary).toMatchObject({ totalRows: 6, insertedRows: 3, errorRows: 3 });
    expect(summary.skipped.map((g) => [g.count, g.lines])).toEqual([
      [2, [6, 7]],
      [1, [3]],
    ]);
    expect((await excerpts()).map((r) => r.external_id)).toEqual(["1", "3", "4"]);
  });

  it("reports invalid UTF-8 per line instead of storing U+FFFD", async () => {
    const bytes = Buffer.concat([Buffer.from("id,text\n1,caf"), Buffer.from([0xe9]), Buffer.from("\n2,fine\n")]);
    const summary = await importExcerpts({ workspaceId, userId, input: Readable.from([bytes]), format: "csv", filename: "latin1.csv" });
    expect(summary).toMatchObject({ insertedRows: 1, errorRows: 1, errors: [{ line: 2, reason: expect.stringContaining("not valid UTF-8") }] });
    expect((await excerpts()).map((r) => r.text)).toEqual(["fine"]);
  });

  it("refuses an import into an archived workspace, naming it, and writes nothing", async () => {
    await getPool().query(`UPDATE workspace SET archived_at = now() WHERE id = $1`, [workspaceId]);
    await expect(importExcerpts({ workspaceId, userId, input: csvInput("text\nhello\n"), format: "csv", filename: "a.csv" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^workspace: "ws-[a-z0-9]+" is archived/),
    });
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM import_batch WHERE workspace_id = $1`, [workspaceId]);
    expect(rows[0].n).toBe(0);
    expect(await excerpts()).toEqual([]);
  });

  it("warns about a header-only file and marks it done", async () => {
    const summary = await importExcerpts({ workspaceId, userId, input: csvInput("id,text\n"), format: "csv", filename: "empty.csv" });
    expect(summary).toMatchObject({ totalRows: 0, insertedRows: 0, errorRows: 0 });
    expect(summary.warnings).toEqual([expect.stringContaining("header but no rows")]);
    expect((await batchOf(summary.importBatchId)).status).toBe("done");
  });
});

describe("importRecords", () => {
  it("keeps valid records and reports the others by index", async () => {
    const summary = await importRecords({
      workspaceId,
      userId,
      records: [{ text: "hello", external_id: "a1", label: "non-toxic" }, "not an object", { message: "" }, { note: "x" }, { message: "gg", speaker: "p1" }],
    });
    expect(summary).toMatchObject({ totalRows: 5, insertedRows: 2, labelledRows: 1, errorRows: 3 });
    expect(summary.errors.map((e) => e.line)).toEqual([1, 2, 3]);
    expect(summary.errors[2].reason).toMatch(/no text field/);
    expect((await excerpts()).map((r) => [r.text, r.speaker_id])).toEqual([
      ["hello", null],
      ["gg", "p1"],
    ]);
  });
});
