import {
  MAX_CATEGORY_DESCRIPTION,
  MAX_CATEGORY_NAME,
  MAX_TAXONOMY_CATEGORIES,
  type TTaxonomyCategory,
  type TTaxonomyIssue,
  type TTaxonomyResult,
} from "./types.ts";

/** One category as read from a file or a form, before validation; `line` locates it in messages. */
export type TRawCategory = {
  line: number;
  name?: unknown;
  description?: unknown;
  color?: unknown;
  hotkey?: unknown;
  isNonToxic?: unknown;
};

/** Colours given to categories that name none, in order. */
export const DEFAULT_CATEGORY_COLORS = ["#ef4444", "#a855f7", "#f59e0b", "#ec4899", "#0ea5e9", "#f97316", "#14b8a6", "#84cc16", "#6366f1", "#64748b"] as const;

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const TRUE_WORDS = new Set(["true", "yes", "y", "1", "x"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", ""]);

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/**
 * Checks a whole taxonomy and returns every problem at once (a file with three mistakes should take one
 * round trip, not three): names present, at most 60 characters and unique ignoring case; colours #rrggbb;
 * hotkeys 1–9 and unique; exactly one non-toxic category. Missing colours get a default; when no category
 * says anything about hotkeys, the first nine get 1–9 in order.
 */
export function validateTaxonomy(items: readonly TRawCategory[]): TTaxonomyResult {
  const issues: TTaxonomyIssue[] = [];
  if (items.length === 0) return { ok: false, issues: [{ field: "categories", message: "The taxonomy has no categories: add at least the non-toxic one." }] };
  if (items.length > MAX_TAXONOMY_CATEGORIES) {
    return {
      ok: false,
      issues: [{ field: "categories", message: `The taxonomy has ${items.length} categories; at most ${MAX_TAXONOMY_CATEGORIES} are allowed.` }],
    };
  }
  const isHotkeyGiven = items.some((item) => !isBlank(item.hotkey));
  const categories: TTaxonomyCategory[] = [];
  const nameAt = new Map<string, TRawCategory & { name: string }>();
  const hotkeyAt = new Map<number, { line: number; name: string }>();
  const nonToxic: { line: number; name: string }[] = [];

  items.forEach((item, index) => {
    const { line } = item;
    const at = (field: TTaxonomyIssue["field"], message: string) => issues.push({ line, field, message });

    const name = typeof item.name === "string" ? item.name.trim() : typeof item.name === "number" ? String(item.name) : "";
    if (name === "") at("name", "The name is missing.");
    else if (name.length > MAX_CATEGORY_NAME) at("name", `The name is ${name.length} characters long; at most ${MAX_CATEGORY_NAME} are allowed.`);
    else {
      const earlier = nameAt.get(name.toLowerCase());
      if (earlier) at("name", `“${name}” is already the name on ${locate(earlier.line)} (names are compared ignoring case).`);
      else nameAt.set(name.toLowerCase(), { ...item, name });
    }

    let description = "";
    if (!isBlank(item.description)) {
      if (typeof item.description !== "string") at("description", "The description must be text.");
      else if (item.description.trim().length > MAX_CATEGORY_DESCRIPTION) {
        at("description", `The description is ${item.description.trim().length} characters long; at most ${MAX_CATEGORY_DESCRIPTION} are allowed.`);
      } else description = item.description.trim();
    }

    let color: string = DEFAULT_CATEGORY_COLORS[index % DEFAULT_CATEGORY_COLORS.length];
    if (!isBlank(item.color)) {
      const given = typeof item.color === "string" ? item.color.trim() : "";
      if (!HEX_COLOR.test(given)) at("color", `“${String(item.color)}” is not a colour: use a hex value like #e11d48.`);
      else color = given.toLowerCase();
    }

    let hotkey: number | null = null;
    if (!isHotkeyGiven) hotkey = index < 9 ? index + 1 : null;
    else if (!isBlank(item.hotkey)) {
      const value = typeof item.hotkey === "number" ? item.hotkey : typeof item.hotkey === "string" ? Number(item.hotkey.trim()) : Number.NaN;
      if (!Number.isInteger(value) || value < 1 || value > 9)
        at("hotkey", `“${String(item.hotkey)}” is not a hotkey: use a digit from 1 to 9, or leave it empty.`);
      else {
        const earlier = hotkeyAt.get(value);
        if (earlier) at("hotkey", `Hotkey ${value} is already used by “${earlier.name}” on ${locate(earlier.line)}: give each category its own key.`);
        else hotkeyAt.set(value, { line, name });
        hotkey = value;
      }
    }

    const flag = readFlag(item.isNonToxic);
    if (flag === null) at("isNonToxic", `“${String(item.isNonToxic)}” is not a yes/no value: use true or false.`);
    else if (flag) nonToxic.push({ line, name });

    categories.push({ name, description, color, hotkey, isNonToxic: flag === true });
  });

  if (nonToxic.length === 0) {
    issues.push({
      field: "isNonToxic",
      message: "No category is marked non-toxic: mark exactly one (the class of acceptable content; toxic scores are 1 − its probability).",
    });
  } else if (nonToxic.length > 1) {
    const [first, ...others] = nonToxic;
    for (const other of others) {
      issues.push({
        line: other.line,
        field: "isNonToxic",
        message: `“${other.name}” is marked non-toxic, and so is “${first.name}” on ${locate(first.line)}: mark exactly one category non-toxic.`,
      });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, categories };
}

function readFlag(value: unknown): boolean | null {
  if (value === undefined || value === null || typeof value === "boolean") return value === true;
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : null;
  if (typeof value !== "string") return null;
  const word = value.trim().toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : null;
}

// `line` is a CSV line or a JSON item; the caller's formatter says which, here it reads naturally either way
const locate = (line: number) => `line ${line}`;

/** "line 4, hotkey: …" — the form messages take in the CLI, the API's message and the UI. */
export function formatTaxonomyIssue(issue: TTaxonomyIssue, unit: "line" | "item" = "line"): string {
  const field = issue.field === "isNonToxic" ? "non_toxic" : issue.field;
  const where = issue.line === undefined ? field : `${unit} ${issue.line}, ${field}`;
  const message = unit === "item" ? issue.message.replace(/\bline (\d+)/g, "item $1") : issue.message;
  return `${where}: ${message}`;
}
