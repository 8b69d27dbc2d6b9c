/** Streaming line splitting shared by the CSV and JSONL readers. */

/** The input cannot be imported at all (no header, no text column, not text): nothing is written. */
export class UnusableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnusableInputError";
  }
}

export type TImportInput = AsyncIterable<string | Uint8Array>;

/** A run of consecutive source lines; `firstLine` is 1-based. */
export type TLineBatch = { firstLine: number; lines: string[] };

/** One source row after parsing: a record to map and validate, or the reason it could not be read. */
export type TParsedRow = { line: number; record: Record<string, unknown> } | { line: number; error: string };

// Far above any real chat line; a file without newlines (binary, wrong format) must not grow memory forever.
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

/**
 * Splits a byte or string stream into lines without holding more than one chunk plus one partial
 * line. Decodes UTF-8 across chunk boundaries, drops a leading BOM, and strips the `\r` of CRLF.
 * Yields per input chunk (not per line) so a million lines cost a few hundred awaits, not a million.
 */
export async function* readLines(input: TImportInput): AsyncGenerator<TLineBatch> {
  const decoder = new TextDecoder("utf-8");
  let partial = "";
  let nextLine = 1;
  let isStart = true;
  for await (const chunk of input) {
    let text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (isStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      isStart = false;
    }
    const parts = (partial + text).split("\n");
    partial = parts.pop() ?? "";
    if (partial.length > MAX_LINE_CHARS) {
      throw new UnusableInputError(`line ${nextLine + parts.length} is longer than ${MAX_LINE_CHARS} characters: is this really a CSV or JSONL file?`);
    }
    if (parts.length === 0) continue;
    for (let i = 0; i < parts.length; i++) {
      const line = parts[i];
      if (line.charCodeAt(line.length - 1) === 13) parts[i] = line.slice(0, -1);
    }
    yield { firstLine: nextLine, lines: parts };
    nextLine += parts.length;
  }
  partial += decoder.decode();
  if (partial.length > 0) {
    if (partial.charCodeAt(partial.length - 1) === 13) partial = partial.slice(0, -1);
    yield { firstLine: nextLine, lines: [partial] };
  }
}
