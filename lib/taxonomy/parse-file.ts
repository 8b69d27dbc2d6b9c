import { parseCsv } from "../import/csv.ts";
import { UnusableInputError } from "../import/lines.ts";
import type { TTaxonomyIssue, TTaxonomyResult } from "./types.ts";
import { validateTaxonomy, type TRawCategory } from "./validate.ts";

export type TTaxonomyFormat = "csv" | "json";

/** Column / key spellings accepted for each field, compared ignoring case, spaces, "-" and "_". */
const FIELD_ALIASES: Record<Exclude<keyof TRawCategory, "line">, readonly string[]> = {
  name: ["name", "category", "label"],
  description: ["description", "desc", "guideline"],
  color: ["colour", "color"],
  hotkey: ["hotkey", "key"],
  isNonToxic: ["nontoxic", "isnontoxic"],
};
const EXPECTED_FIELDS = "name, description, colour, hotkey, non_toxic";

const canonical = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, "");

function fieldFor(column: string): keyof typeof FIELD_ALIASES | undefined {
  const key = canonical(column);
  return (Object.keys(FIELD_ALIASES) as (keyof typeof FIELD_ALIASES)[]).find((field) => FIELD_ALIASES[field].includes(key));
}

/** CSV when the name ends in .csv, JSON when it ends in .json, else by the first character. */
export function detectTaxonomyFormat(text: string, fileName?: string): TTaxonomyFormat {
  const ext = fileName?.toLowerCase().match(/\.(csv|json)$/)?.[1];
  if (ext === "csv" || ext === "json") return ext;
  const first = text.replace(/^\uFEFF/, "").trimStart()[0];
  return first === "[" || first === "{" ? "json" : "csv";
}

/**
 * Reads a taxonomy file, CSV (a header with name, description, colour, hotkey, non_toxic; only name is
 * required) or JSON (an array of objects with the same keys, or `{ "categories": [...] }`), and validates
 * it whole. Issues carry the CSV line or the JSON item number, so `unit` tells which.
 */
export async function parseTaxonomyFile(
  text: string,
  options: { fileName?: string; format?: TTaxonomyFormat } = {},
): Promise<TTaxonomyResult & { unit: "line" | "item" }> {
  const format = options.format ?? detectTaxonomyFormat(text, options.fileName);
  if (format === "json") return { ...readJson(text), unit: "item" };
  return { ...(await readCsv(text)), unit: "line" };
}

function readJson(text: string): TTaxonomyResult {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    return fail({ field: "file", message: `The file is not valid JSON (${(err as Error).message}).` });
  }
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.categories) ? value.categories : null;
  if (!list) return fail({ field: "file", message: 'Expected a JSON array of categories, or an object with a "categories" array.' });
  const items: TRawCategory[] = [];
  const issues: TTaxonomyIssue[] = [];
  let unreadable = 0;
  list.forEach((entry: unknown, i: number) => {
    const line = i + 1;
    if (!isObject(entry)) {
      issues.push({ line, field: "file", message: "Each category must be an object with at least a name." });
      unreadable++;
      return;
    }
    const item: TRawCategory = { line };
    for (const [key, value] of Object.entries(entry)) {
      const field = fieldFor(key);
      if (field) item[field] = value;
      else issues.push({ line, field: "file", message: `Unknown key “${key}”: expected ${EXPECTED_FIELDS}.` });
    }
    items.push(item);
  });
  return merge(issues, items, unreadable);
}

async function readCsv(text: string): Promise<TTaxonomyResult> {
  const items: TRawCategory[] = [];
  const issues: TTaxonomyIssue[] = [];
  let unreadable = 0;
  let columns: string[] = [];
  let fields: (keyof typeof FIELD_ALIASES | undefined)[] = [];
  try {
    for await (const rows of parseCsv(oneChunk(text), {
      onHeader: (header) => {
        columns = header;
        fields = columns.map(fieldFor);
        columns.forEach((column, i) => {
          if (!fields[i] && column !== "") issues.push({ line: 1, field: "file", message: `Unknown column “${column}”: expected ${EXPECTED_FIELDS}.` });
        });
        if (!fields.includes("name")) throw new UnusableInputError(`the header has no name column (columns: ${EXPECTED_FIELDS}; only name is required)`);
      },
    })) {
      for (const row of rows) {
        if ("error" in row) {
          issues.push({ line: row.line, field: "file", message: `This line cannot be read: ${row.error}.` });
          unreadable++;
          continue;
        }
        const item: TRawCategory = { line: row.line };
        columns.forEach((column, i) => {
          const field = fields[i];
          if (field && item[field] === undefined) item[field] = row.record[column];
        });
        items.push(item);
      }
    }
  } catch (err) {
    if (err instanceof UnusableInputError) return fail({ field: "file", message: `The file cannot be used: ${err.message}.` });
    throw err;
  }
  return merge(issues, items, unreadable);
}

/** Adds validation's findings to the reading ones; `unreadable` rows leave gaps, so whole-taxonomy findings ("no non-toxic category") are left out then. */
function merge(issues: TTaxonomyIssue[], items: TRawCategory[], unreadable = 0): TTaxonomyResult {
  const result = validateTaxonomy(items);
  if (issues.length === 0) return result;
  const found = result.ok ? [] : result.issues;
  return { ok: false, issues: [...issues, ...found.filter((i) => i.line !== undefined || unreadable === 0)] };
}

const fail = (issue: TTaxonomyIssue): TTaxonomyResult => ({ ok: false, issues: [issue] });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

async function* oneChunk(text: string): AsyncGenerator<string> {
  yield text;
}
