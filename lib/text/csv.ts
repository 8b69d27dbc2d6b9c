/** CSV cells, the one implementation behind dataset exports and dashboard downloads. */

// Spreadsheets run a cell as a formula when it starts with one of these (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/** A string cell made inert for spreadsheets: a leading formula character gets a leading apostrophe. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting: quote when the cell holds a comma, quote, CR or LF (or edge spaces); double quotes. */
export function csvQuote(value: string): string {
  if (/[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** One cell: null → empty; strings neutralised and quoted; numbers and booleans as JavaScript prints them. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  return typeof value === "string" ? csvQuote(neutraliseCell(value)) : String(value);
}
