/** PostgreSQL COPY … FROM STDIN text format: tab-separated, `\N` for NULL, backslash escapes. */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPABLE = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

export function copyField(value: string | number | boolean | null): string {
  if (value === null) return "\\N";
  if (typeof value !== "string") return String(value);
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPABLE, (c) => ESCAPES[c]) : value;
}

export function copyLine(values: readonly (string | number | boolean | null)[]): string {
  let line = copyField(values[0]);
  for (let i = 1; i < values.length; i++) line += "\t" + copyField(values[i]);
  return line + "\n";
}

const UNESCAPES: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r" };

/** The inverse of copyLine (without its newline): for databases that cannot take COPY. */
export function parseCopyLine(line: string): (string | null)[] {
  return line.split("\t").map((field) => (field === "\\N" ? null : field.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c)));
}
