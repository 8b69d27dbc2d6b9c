import { describe, expect, it } from "vitest";
import { parseJsonl } from "./jsonl.ts";
import type { TParsedRow } from "./lines.ts";

async function rows(chunks: string[]): Promise<TParsedRow[]> {
  async function* input() {
    yield* chunks;
  }
  const out: TParsedRow[] = [];
  for await (const batch of parseJsonl(input())) out.push(...batch);
  return out;
}

describe("parseJsonl", () => {
  it("reads one object per line with its line number, across chunk boundaries", async () => {
    expect(await rows(['{"text":"a","id":1}\n{"te', 'xt":"b"}\r\n\n{"text":"c"}'])).toEqual([
      { line: 1, record: { text: "a", id: 1 } },
      { line: 2, record: { text: "b" } },
      { line: 4, record: { text: "c" } },
    ]);
  });
  it("reports a malformed line and keeps the rest", async () => {
    const result = await rows(['{"text":"a"}\n{"text": "b",\n{"text":"c"}\n']);
    expect(result[0]).toEqual({ line: 1, record: { text: "a" } });
    expect(result[1]).toEqual({ line: 2, error: expect.stringMatching(/^not valid JSON: /) });
    expect(result[2]).toEqual({ line: 3, record: { text: "c" } });
  });
  it("rejects lines that are JSON but not objects", async () => {
    expect(await rows(['[1,2]\n"text"\nnull\n'])).toEqual([
      { line: 1, error: "expected a JSON object, found an array" },
      { line: 2, error: 'expected a JSON object, found "text"' },
      { line: 3, error: "expected a JSON object, found null" },
    ]);
  });
  it("keeps escaped newlines inside strings on one line", async () => {
    expect(await rows(['{"text":"two\\nlines"}\n'])).toEqual([{ line: 1, record: { text: "two\nlines" } }]);
  });

  it("reports a line that is not valid UTF-8 instead of importing U+FFFD", async () => {
    const bytes = Buffer.concat([Buffer.from('{"text":"ok"}\n{"text":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    const out = [];
    for await (const batch of parseJsonl(
      (async function* () {
        yield bytes;
      })(),
    ))
      out.push(...batch);
    expect(out).toEqual([
      { line: 1, record: { text: "ok" } },
      { line: 2, error: "line 2 is not valid UTF-8 (save the file as UTF-8 and import it again)" },
    ]);
  });
});
