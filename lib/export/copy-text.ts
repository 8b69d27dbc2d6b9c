/**
 * Decoding of PostgreSQL's COPY … TO STDOUT text format (tab-separated, one row per line, backslash
 * escapes, \N for NULL). Exports read rows with COPY because it streams at the server's full speed with
 * no cursor round trips.
 */

const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/** One field as text, or null for \N. */
export function decodeCopyField(raw: string): string | null {
  if (raw === "\\N") return null;
  if (raw.indexOf("\\") === -1) return raw;
  return raw.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e in ESCAPES) return ESCAPES[e];
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return e;
  });
}

/** Splits streamed text into complete lines (or records, with another separator); keeps the partial last one for the next chunk. */
export class LineSplitter {
  private rest = "";

  constructor(private readonly separator = "\n") {}

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split(this.separator);
    this.rest = lines.pop() ?? "";
    return lines;
  }

  end(): string[] {
    const last = this.rest;
    this.rest = "";
    return last ? [last] : [];
  }
}
