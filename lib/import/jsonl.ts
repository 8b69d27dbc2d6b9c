import { INVALID_UTF8, readLines, type TImportInput, type TParsedRow } from "./lines.ts";

/** Streams a JSON Lines file (one JSON object per line) as batches of parsed rows; blank lines are skipped. */
export async function* parseJsonl(input: TImportInput): AsyncGenerator<TParsedRow[]> {
  for await (const batch of readLines(input)) {
    const out: TParsedRow[] = [];
    const invalid = new Set(batch.invalid);
    for (let k = 0; k < batch.lines.length; k++) {
      const text = batch.lines[k];
      if (text.trim() === "") continue;
      const line = batch.firstLine + k;
      if (invalid.has(k)) {
        out.push({ line, error: `line ${line} is ${INVALID_UTF8}` });
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        out.push({ line, error: `not valid JSON: ${(err as Error).message}` });
        continue;
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        out.push({ line, error: `expected a JSON object, found ${Array.isArray(value) ? "an array" : JSON.stringify(value)?.slice(0, 40)}` });
        continue;
      }
      out.push({ line, record: value as Record<string, unknown> });
    }
    if (out.length > 0) yield out;
  }
}
