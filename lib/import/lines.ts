/** Streaming line splitting shared by the CSV and JSONL readers. */

/** The input cannot be imported at all (no header, no text column, not text): nothing is written. */
export class UnusableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnusableInputError";
  }
}

export type TImportInput = AsyncIterable<string | Uint8Array>;

/**
 * A run of consecutive source lines; `firstLine` is 1-based. `invalid` lists the indexes (into `lines`)
 * of lines that were not valid UTF-8: their text holds U+FFFD where the bad bytes were, and the
 * parsers report them instead of importing them.
 */
export type TLineBatch = { firstLine: number; lines: string[]; invalid?: number[] };

/** One source row after parsing: a record to map and validate, or the reason it could not be read. */
export type TParsedRow = { line: number; record: Record<string, unknown> } | { line: number; error: string };

// Far above any real chat line; a file without newlines (binary, wrong format) must not grow memory forever.
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

export const INVALID_UTF8 = "not valid UTF-8 (save the file as UTF-8 and import it again)";

const NEWLINE = 0x0a;
const fastDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
const strictDecoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
// U+FFFD as UTF-8: a file may contain it legitimately, so it only marks a line when the bytes say so
const REPLACEMENT_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

function countOf(haystack: Buffer, needle: Buffer): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * Decodes whole lines (bytes ending just before a newline, so no character is cut) and says which
 * of them were not valid UTF-8. The fast path decodes once; only a chunk whose decoding produced
 * more U+FFFD than its bytes spell is checked line by line.
 */
function decodeLines(bytes: Buffer): { lines: string[]; invalid?: number[] } {
  const text = fastDecoder.decode(bytes);
  const lines = text.split("\n");
  if (!text.includes("\uFFFD")) return { lines };
  let replacements = 0;
  for (let i = text.indexOf("\uFFFD"); i >= 0; i = text.indexOf("\uFFFD", i + 1)) replacements++;
  if (replacements === countOf(bytes, REPLACEMENT_BYTES)) return { lines };
  const invalid: number[] = [];
  let start = 0;
  for (let k = 0; k < lines.length; k++) {
    const end = k === lines.length - 1 ? bytes.length : bytes.indexOf(NEWLINE, start);
    if (lines[k].includes("\uFFFD")) {
      try {
        strictDecoder.decode(bytes.subarray(start, end));
      } catch {
        invalid.push(k);
      }
    }
    start = end + 1;
  }
  return { lines, invalid };
}

/**
 * Splits a byte or string stream into lines without holding more than one chunk plus one partial
 * line. Bytes are cut at newlines before decoding (a newline byte never sits inside a UTF-8
 * character), so every line is decoded whole and an invalid one is reported with its number instead
 * of silently becoming U+FFFD. Drops a leading BOM and strips the `\r` of CRLF. Yields per input chunk
 * (not per line) so a million lines cost a few hundred awaits, not a million.
 */
export async function* readLines(input: TImportInput): AsyncGenerator<TLineBatch> {
  let partial = "";
  let partialBytes: Buffer = Buffer.alloc(0);
  let nextLine = 1;
  let isStart = true;
  const stripCr = (lines: string[]) => {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
    }
  };
  const stripBom = (lines: string[]) => {
    if (isStart && lines.length > 0) {
      if (lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
      isStart = false;
    }
  };
  for await (const chunk of input) {
    if (typeof chunk === "string") {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      if (partial.length > MAX_LINE_CHARS) {
        throw new UnusableInputError(`line ${nextLine + parts.length} is longer than ${MAX_LINE_CHARS} characters: is this really a CSV or JSONL file?`);
      }
      if (parts.length === 0) continue;
      stripBom(parts);
      stripCr(parts);
      yield { firstLine: nextLine, lines: parts };
      nextLine += parts.length;
      continue;
    }
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const last = bytes.lastIndexOf(NEWLINE);
    if (last < 0) {
      partialBytes = partialBytes.length === 0 ? Buffer.from(bytes) : Buffer.concat([partialBytes, bytes]);
      if (partialBytes.length > MAX_LINE_CHARS * 4) {
        throw new UnusableInputError(`line ${nextLine} is longer than ${MAX_LINE_CHARS} characters: is this really a CSV or JSONL file?`);
      }
      continue;
    }
    const whole = partialBytes.length === 0 ? bytes.subarray(0, last) : Buffer.concat([partialBytes, bytes.subarray(0, last)]);
    partialBytes = Buffer.from(bytes.subarray(last + 1));
    const { lines, invalid } = decodeLines(whole);
    stripBom(lines);
    stripCr(lines);
    yield invalid ? { firstLine: nextLine, lines, invalid } : { firstLine: nextLine, lines };
    nextLine += lines.length;
  }
  if (partialBytes.length > 0) {
    const { lines, invalid } = decodeLines(partialBytes);
    stripBom(lines);
    stripCr(lines);
    if (lines[0].length > 0) yield invalid ? { firstLine: nextLine, lines, invalid } : { firstLine: nextLine, lines };
    return;
  }
  if (partial.length > 0) {
    const lines = [partial];
    stripBom(lines);
    stripCr(lines);
    yield { firstLine: nextLine, lines };
  }
}
