import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { importUpload } from "./import-upload.ts";

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
      { workspaceId, name: "Non-toxic", isNonToxic: true, hotkey: 1 },
      { workspaceId, name: "Harassment", hotkey: 2 },
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
  return new Request("http://localhost/api/imports", { method: "POST", body: form });
}

const file = (text: string) => new Blob([text], { type: "text/csv" });

describe("importUpload", () => {
  it("streams the file with its options and reports the broken row's line", async () => {
    const csv = 'comment_text,label,source\nhello,clean,text\n"broken "x,clean,text\nyou noob,toxic,voice\n';
    const summary = await importUpload({
      workspaceId,
      userId,
      request: upload([
        ["format", "csv"],
        ["labelMap", JSON.stringify({ toxic: "harassment", clean: "non-toxic" })],
        ["heldOut", "true"],
        ["file", file(csv), "chat.csv"],
      ]),
    });
    expect(summary).toMatchObject({ totalRows: 3, insertedRows: 2, labelledRows: 2, errorRows: 1 });
    expect(summary.errors).toEqual([{ line: 3, reason: expect.stringContaining("after the closing quote") }]);
    const { rows } = await getPool().query(`SELECT text, held_out, source FROM excerpt WHERE import_batch_id = $1 ORDER BY id`, [summary.importBatchId]);
    expect(rows).toEqual([
      { text: "hello", held_out: true, source: "text" },
      { text: "you noob", held_out: true, source: "voice" },
    ]);
    const { rows: batch } = await getPool().query(`SELECT filename, format FROM import_batch WHERE id = $1`, [summary.importBatchId]);
    expect(batch[0]).toEqual({ filename: "chat.csv", format: "csv" });
  });

  it("takes the format from the file name and applies a column mapping", async () => {
    const jsonl = '{"msg_body":"first jsonl line","n":"j1"}\n{"msg_body":"second","n":"j2"}\n';
    const summary = await importUpload({
      workspaceId,
      userId,
      request: upload([
        ["mapping", JSON.stringify({ text: "msg_body", external_id: "n" })],
        ["file", new Blob([jsonl]), "lines.jsonl"],
      ]),
    });
    expect(summary).toMatchObject({ totalRows: 2, insertedRows: 2, errorRows: 0 });
  });

  it("refuses options sent after the file, bad JSON options and uploads without a file", async () => {
    await expect(
      importUpload({
        workspaceId,
        userId,
        request: upload([
          ["file", file("text\nlate\n"), "a.csv"],
          ["heldOut", "true"],
        ]),
      }),
    ).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringContaining('"heldOut" came after the file'),
    });
    await expect(
      importUpload({
        workspaceId,
        userId,
        request: upload([
          ["mapping", "{text:"],
          ["file", file("text\na\n"), "a.csv"],
        ]),
      }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("mapping must be JSON"),
    });
    await expect(importUpload({ workspaceId, userId, request: upload([["format", "csv"]]) })).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringContaining("No file in the upload"),
    });
    await expect(importUpload({ workspaceId, userId, request: upload([["file", file("x"), "data.xlsx"]]) })).rejects.toMatchObject({ code: "VALIDATION" });
    const notMultipart = new Request("http://localhost/api/imports", { method: "POST", body: "text\nhi\n", headers: { "content-type": "text/csv" } });
    await expect(importUpload({ workspaceId, userId, request: notMultipart })).rejects.toMatchObject({ code: "BAD_INPUT" });
  });

  it("reports a file without a text column as unusable", async () => {
    await expect(importUpload({ workspaceId, userId, request: upload([["file", file("id,who\n1,p\n"), "x.csv"]]) })).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringContaining("no text column"),
    });
  });

  // Issue 12, finding 9: a binary file's "header" was echoed into the message, ~500 bytes of garbage.
  it("says a binary file is not text, without echoing its bytes", async () => {
    const garbage = new Uint8Array(Array.from({ length: 600 }, (_, i) => (i * 37 + 11) % 256));
    const err = await importUpload({ workspaceId, userId, request: upload([["file", new Blob([garbage]), "data.csv"]]) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "BAD_INPUT" });
    const message = (err as Error).message;
    expect(message).not.toMatch(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
    expect(message.length).toBeLessThan(400);
  });

  it("stops at the route's byte cap with its 413, whatever the multipart parser was doing", async () => {
    const big = "text\n" + "hello there\n".repeat(20_000);
    const form = upload([
      ["format", "csv"],
      ["file", file(big), "big.csv"],
    ]);
    let total = 0;
    const capped = form.body!.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          total += chunk.byteLength;
          if (total > 64 * 1024) controller.error(new AppError("PAYLOAD_TOO_LARGE", "too large"));
          else controller.enqueue(chunk);
        },
      }),
    );
    const request = new Request("http://localhost/api/imports", { method: "POST", headers: form.headers, body: capped, duplex: "half" } as RequestInit);
    await expect(importUpload({ workspaceId, userId, request })).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  });
});
