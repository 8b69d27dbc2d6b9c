import { z } from "zod";
import type { TImportField } from "./mapping.ts";
import { dedupKey } from "./normalize.ts";

// PostgreSQL text cannot hold NUL; it carries no meaning in chat, so it is dropped rather than
// failing the row.
const NUL = /\u0000/g;
export const MAX_TEXT_CHARS = 20_000;
export const MAX_META_CHARS = 500;

/** A cell as it arrives: CSV gives strings, JSON also numbers/booleans/null. */
const ZCell = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

const optionalString = (what: string) =>
  ZCell.transform((v, ctx) => {
    if (v === null || v === undefined) return null;
    const s = String(v).replace(NUL, "").trim();
    if (s.length > MAX_META_CHARS) {
      ctx.addIssue({ code: "custom", message: `${what} is longer than ${MAX_META_CHARS} characters` });
      return z.NEVER;
    }
    return s === "" ? null : s;
  });

const ZText = ZCell.transform((v, ctx) => {
  const s = v === null || v === undefined ? "" : String(v).replace(NUL, "");
  if (s.trim() === "") {
    ctx.addIssue({ code: "custom", message: "text is empty" });
    return z.NEVER;
  }
  if (s.length > MAX_TEXT_CHARS) {
    ctx.addIssue({ code: "custom", message: `text is longer than ${MAX_TEXT_CHARS} characters (${s.length})` });
    return z.NEVER;
  }
  return s.trim();
});

const ZSource = ZCell.transform((v, ctx) => {
  const s = v === null || v === undefined ? "" : String(v).trim().toLowerCase();
  if (s === "") return "text" as const;
  if (s === "text" || s === "voice") return s;
  ctx.addIssue({ code: "custom", message: `source must be "text" or "voice" (got "${String(v).slice(0, 40)}")` });
  return z.NEVER;
});

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH = /^-?\d+(\.\d+)?$/;
// Epoch values below this are seconds, above it milliseconds (1e11 s would be the year 5138).
const EPOCH_MS_THRESHOLD = 1e11;

/** ISO 8601 (date, or date and time, with or without zone; no zone = UTC) or a Unix epoch in s or ms. */
export function parseOccurredAt(value: string | number): Date | null {
  if (typeof value === "number" || EPOCH.test(value)) {
    const n = Number(value);
    if (!Number.isFinite(n)) return null;
    const date = new Date(Math.abs(n) < EPOCH_MS_THRESHOLD ? n * 1000 : n);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  if (!ISO_DATE.test(value)) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) && value.length > 10;
  const normalised = value.replace(" ", "T");
  const date = new Date(hasZone || value.length === 10 ? normalised : `${normalised}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

const ZOccurredAt = ZCell.transform((v, ctx) => {
  if (v === null || v === undefined || (typeof v === "string" && v.trim() === "")) return null;
  if (typeof v === "boolean") {
    ctx.addIssue({ code: "custom", message: "occurred_at must be an ISO 8601 date or a Unix epoch" });
    return z.NEVER;
  }
  const date = parseOccurredAt(typeof v === "string" ? v.trim() : v);
  if (!date) {
    ctx.addIssue({ code: "custom", message: `occurred_at must be an ISO 8601 date or a Unix epoch (got "${String(v).slice(0, 40)}")` });
    return z.NEVER;
  }
  return date;
});

export const ZImportRow = z.object({
  text: ZText,
  external_id: optionalString("external_id"),
  source: ZSource,
  game: optionalString("game"),
  channel: optionalString("channel"),
  conversation_id: optionalString("conversation_id"),
  speaker_id: optionalString("speaker_id"),
  occurred_at: ZOccurredAt,
  label: optionalString("label"),
});
export type TImportRow = z.infer<typeof ZImportRow>;

/** A validated row ready to write, with its dedup key. */
export type TExcerptRow = {
  dedupKey: string;
  externalId: string | null;
  text: string;
  source: "text" | "voice";
  game: string | null;
  channel: string | null;
  conversationId: string | null;
  speakerId: string | null;
  occurredAt: Date | null;
  label: string | null;
};

/** Validates one mapped record; a failure is a readable reason for the error report, never a throw. */
export function toExcerptRow(fields: Partial<Record<TImportField, unknown>>): { row: TExcerptRow } | { reason: string } {
  const parsed = ZImportRow.safeParse(fields);
  if (!parsed.success) {
    return {
      reason: parsed.error.issues.map((i) => (i.code === "custom" ? i.message : `${i.path.join(".")}: ${i.message}`)).join("; "),
    };
  }
  const r = parsed.data;
  const row: TExcerptRow = {
    dedupKey: "",
    externalId: r.external_id,
    text: r.text,
    source: r.source,
    game: r.game,
    channel: r.channel,
    conversationId: r.conversation_id,
    speakerId: r.speaker_id,
    occurredAt: r.occurred_at,
    label: r.label,
  };
  row.dedupKey = dedupKey(row);
  return { row };
}
