/**
 * PostgreSQL's COPY text format, both ways: tab-separated fields, one row per line, backslash escapes,
 * \N for NULL. Imports write rows with COPY … FROM STDIN and exports read them with COPY … TO STDOUT,
 * because COPY streams at the server's full speed; server/db/copy-rows.ts does the same on the embedded
 * database, which cannot stream COPY.
 */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPABLE = /[\\\t\n\r]/g;
const ENCODE: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

export function copyField(value: string | number | boolean | null): string {
  if (value === null) return "\\N";
  if (typeof value !== "string") return String(value);
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPABLE, (c) => ENCODE[c]) : value;
}

export function copyLine(values: readonly (string | number | boolean | null)[]): string {
  let line = copyField(values[0]);
  for (let i = 1; i < values.length; i++) line += "\t" + copyField(values[i]);
  return line + "\n";
}

const DECODE: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/** One field as text, or null for \N. */
export function decodeCopyField(raw: string): string | null {
  if (raw === "\\N") return null;
  if (raw.indexOf("\\") === -1) return raw;
  return raw.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e in DECODE) return DECODE[e];
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return e;
  });
}

/** The inverse of copyLine (without its newline). */
export function parseCopyLine(line: string): (string | null)[] {
  return line.split("\t").map(decodeCopyField);
}
