import { EXPORT_COLUMNS, HF_COLUMNS, type TColumn, type TExportRow } from "./row.ts";

/** Text formatters. Each returns exactly the bytes written, so equal rows give byte-identical files. */

function toObject(row: TExportRow, columns: readonly TColumn[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c.name] = row[c.field];
  return out;
}

export function jsonlLine(row: TExportRow): string {
  return `${JSON.stringify(toObject(row, EXPORT_COLUMNS))}\n`;
}

export function hfJsonlLine(row: TExportRow): string {
  return `${JSON.stringify(toObject(row, HF_COLUMNS))}\n`;
}

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

function csvCell(value: unknown, column: TColumn): string {
  if (value === null || value === undefined) return "";
  if (column.kind === "string") return csvQuote(neutraliseCell(String(value)));
  return String(value);
}

export function csvHeader(): string {
  return `${EXPORT_COLUMNS.map((c) => c.name).join(",")}\r\n`;
}

export function csvLine(row: TExportRow): string {
  return `${EXPORT_COLUMNS.map((c) => csvCell(row[c.field], c)).join(",")}\r\n`;
}

/** The diff index kept with every snapshot: one sorted line per row, enough to diff two snapshots. */
export function indexLine(row: TExportRow): string {
  return `${row.id}\t${row.split}\t${row.labelIndex}\t${row.label.replace(/[\t\n\r]/g, " ")}\n`;
}
