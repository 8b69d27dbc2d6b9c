import { createHash } from "node:crypto";

// Zero-width and invisible format characters that spammers insert to defeat matching
// (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, Mongolian vowel separator).
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g;
const WHITESPACE_RUN = /\s+/g;

/**
 * The form of a text used only for the duplicate check: NFKC (full-width and ligature forms fold
 * onto plain letters), lower case, invisible characters removed, whitespace collapsed and trimmed.
 * The stored text is never changed.
 */
export function normaliseForDedup(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(INVISIBLE, "").replace(WHITESPACE_RUN, " ").trim();
}

/**
 * The per-workspace identity of an excerpt: its external id when the source has one, else the
 * conversation plus a hash of the normalised text — so "gg ez" said in two different matches is
 * two excerpts, but the same line imported twice is one.
 */
export function dedupKey(row: { externalId: string | null; conversationId: string | null; text: string }): string {
  if (row.externalId) return `x:${row.externalId}`;
  const hash = createHash("sha1").update(normaliseForDedup(row.text)).digest("hex");
  return `h:${row.conversationId ?? ""}:${hash}`;
}
