import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.ts";
import { UnusableInputError, type TParsedRow } from "./lines.ts";

/** Feeds `text` as UTF-8 bytes in chunks of `size` (splitting multi-byte characters and CRLFs). */
async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function rows(text: string, opts: { size?: number; delimiter?: string; onHeader?: (c: string[]) => void } = {}): Promise<TParsedRow[]> {
  const out: TParsedRow[] = [];
  for await (const batch of parseCsv(chunked(text, opts.size ?? 1 << 16), opts)) out.push(...batch);
  return out;
}

describe("parseCsv", () => {
  it("reads header and rows into records with their line numbers", async () => {
    expect(await rows("text,id\nhello,1\nworld,2\n")).toEqual([
      { line: 2, record: { text: "hello", id: "1" } },
      { line: 3, record: { text: "world", id: "2" } },
    ]);
  });

  it("handles quotes, doubled quotes, embedded commas and CRLF", async () => {
    expect(await rows('text,id\r\n"a, ""quoted"" b",1\r\n"",2\r\nlast,\r\n')).toEqual([
      { line: 2, record: { text: 'a, "quoted" b', id: "1" } },
      { line: 3, record: { text: "", id: "2" } },
      { line: 4, record: { text: "last", id: "" } },
    ]);
  });

  it("keeps embedded newlines and numbers rows by the line they start on", async () => {
    const result = await rows('text,id\n"line one\r\nline two\n\nline four",1\nnext,2\n');
    expect(result).toEqual([
      { line: 2, record: { text: "line one\nline two\n\nline four", id: "1" } },
      { line: 6, record: { text: "next", id: "2" } },
    ]);
  });

  it("strips a BOM and reads the last line without a newline", async () => {
    expect(await rows("\uFEFFtext\nonly")).toEqual([{ line: 2, record: { text: "only" } }]);
  });

  it("gives the same result whatever the chunk boundaries (multi-byte text, CRLF split)", async () => {
    const text = 'text,who\r\n"héllo 🎮\r\nsecond",ä\r\nnormal,ö\r\n';
    const whole = await rows(text);
    for (const size of [1, 2, 3, 5, 7]) expect(await rows(text, { size })).toEqual(whole);
    expect(whole).toHaveLength(2);
  });

  it("skips blank lines between records but counts them", async () => {
    expect(await rows("text\n\na\n   \nb\n")).toEqual([
      { line: 3, record: { text: "a" } },
      { line: 5, record: { text: "b" } },
    ]);
  });

  it("reports a row with the wrong number of fields and keeps the others", async () => {
    expect(await rows("text,id\nok,1\nhello, world,2\nfine,3\n")).toEqual([
      { line: 2, record: { text: "ok", id: "1" } },
      { line: 3, error: expect.stringContaining("expected 2 fields (as in the header), found 3") },
      { line: 4, record: { text: "fine", id: "3" } },
    ]);
  });

  it("reports a stray character after a closing quote and keeps the next rows", async () => {
    expect(await rows('text,id\n"bad"q,1\n4,w\n')).toEqual([
      { line: 2, error: expect.stringContaining('unexpected "q" after the closing quote of field 1') },
      { line: 3, record: { text: "4", id: "w" } },
    ]);
  });

  it("tolerates spaces after a closing quote", async () => {
    expect(await rows('text,id\n"a"  ,1\n')).toEqual([{ line: 2, record: { text: "a", id: "1" } }]);
  });

  it("reports an unclosed quote at the end of the file and re-reads the lines it swallowed", async () => {
    expect(await rows('text,id\nfirst,1\n"never closed,2\nthird,3\nfourth,4\n')).toEqual([
      { line: 2, record: { text: "first", id: "1" } },
      { line: 3, error: "a quoted field opened on line 3 is never closed" },
      { line: 4, record: { text: "third", id: "3" } },
      { line: 5, record: { text: "fourth", id: "4" } },
    ]);
  });

  it("gives up on an unclosed quote after 200 lines and keeps the rest", async () => {
    const body = Array.from({ length: 300 }, (_, i) => `row ${i},${i}`).join("\n");
    const result = await rows(`text,id\n"open,0\n${body}\n`);
    expect(result[0]).toEqual({ line: 2, error: "a quoted field opened on line 2 is never closed" });
    expect(result.slice(1)).toHaveLength(300);
    expect(result[1]).toEqual({ line: 3, record: { text: "row 0", id: "0" } });
    expect(result.at(-1)).toEqual({ line: 302, record: { text: "row 299", id: "299" } });
  });

  it("supports another delimiter", async () => {
    expect(await rows("text;id\na,b;1\n", { delimiter: ";" })).toEqual([{ line: 2, record: { text: "a,b", id: "1" } }]);
    expect(await rows("text\tid\na\t1\n", { delimiter: "\t" })).toEqual([{ line: 2, record: { text: "a", id: "1" } }]);
  });

  it("hands the header to onHeader, which can refuse the file", async () => {
    const seen: string[][] = [];
    await rows(" text , id \nx,1\n", { onHeader: (c) => seen.push(c) });
    expect(seen).toEqual([["text", "id"]]);
    await expect(
      rows("a,b\n1,2\n", {
        onHeader: () => {
          throw new UnusableInputError("no text column");
        },
      }),
    ).rejects.toThrow("no text column");
  });

  it("refuses an empty file or an unreadable header", async () => {
    await expect(rows("")).rejects.toBeInstanceOf(UnusableInputError);
    await expect(rows("\n\n")).rejects.toThrow(/empty/);
    await expect(rows('"text,id\n')).rejects.toThrow(/header on line 1 has a quote that is never closed/);
  });

  // issue 13 item 6: a quote opened by mistake on line 3 and "closed" by a stray quote on line 5
  it("reports a quote left open by mistake on its own line and reads the good line after it on its own", async () => {
    const file = 'id,text,label\n1,fine,ok\n2,"open quote here,x\n3,good line,ok\n4,stray" quote,ok\n5,last,ok\n';
    expect(await rows(file, { size: 5 })).toEqual([
      { line: 2, record: { id: "1", text: "fine", label: "ok" } },
      { line: 3, error: expect.stringContaining("a quoted field opened on line 3 is not closed on that line") },
      { line: 4, record: { id: "3", text: "good line", label: "ok" } },
      { line: 5, record: { id: "4", text: 'stray" quote', label: "ok" } },
      { line: 6, record: { id: "5", text: "last", label: "ok" } },
    ]);
  });

  it("does not let a stray quote glue three rows into one even when the field count happens to match", async () => {
    const file = 'id,text,label\n2,"open quote here,x\n3,good line,ok\n4,stray",ok\n';
    const result = await rows(file);
    expect(result[0]).toEqual({ line: 2, error: expect.stringContaining("line 3 inside it reads as a row of its own") });
    expect(result[1]).toEqual({ line: 3, record: { id: "3", text: "good line", label: "ok" } });
    expect(result).toHaveLength(3);
  });

  it("still reads a real multi-line message", async () => {
    expect(await rows('id,text,label\n1,"first line\nsecond line, with a comma",ok\n')).toEqual([
      { line: 2, record: { id: "1", text: "first line\nsecond line, with a comma", label: "ok" } },
    ]);
  });

  // issue 13 item 6: invalid UTF-8 used to become U+FFFD silently
  it("reports each line that is not valid UTF-8 and keeps a real U+FFFD", async () => {
    const bytes = Buffer.concat([
      Buffer.from("id,text\n1,caf"),
      Buffer.from([0xe9]),
      Buffer.from(' ok\n2,\ufffd is fine\n3,"multi\nli'),
      Buffer.from([0xff]),
      Buffer.from('ne"\n4,end'),
    ]);
    for (const size of [3, 1 << 16]) {
      const out: TParsedRow[] = [];
      const parts = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
      for await (const batch of parseCsv(
        (async function* () {
          yield* parts;
        })(),
      ))
        out.push(...batch);
      expect(out).toEqual([
        { line: 2, error: "line 2 is not valid UTF-8 (save the file as UTF-8 and import it again)" },
        { line: 3, record: { id: "2", text: "\ufffd is fine" } },
        { line: 4, error: "line 5 (in the record starting on line 4) is not valid UTF-8 (save the file as UTF-8 and import it again)" },
        { line: 6, record: { id: "4", text: "end" } },
      ]);
    }
  });
});
