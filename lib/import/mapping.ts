import { z } from "zod";

/** The excerpt fields an import row can fill. */
export const IMPORT_FIELDS = ["text", "external_id", "source", "game", "channel", "conversation_id", "speaker_id", "occurred_at", "label"] as const;
export type TImportField = (typeof IMPORT_FIELDS)[number];

/**
 * Column names tried, in order, when a field is not mapped explicitly (compared case-insensitively,
 * ignoring "_", "-" and spaces). They cover the usual chat exports and the public datasets
 * (Jigsaw `comment_text`, Davidson `tweet`/`class`, CONDA `utterance`/`conversationId`/`playerId`).
 */
export const DEFAULT_ALIASES: Record<TImportField, readonly string[]> = {
  text: ["text", "message", "comment_text", "comment", "content", "body", "utterance", "transcript", "tweet", "msg"],
  external_id: ["external_id", "id", "message_id", "comment_id", "msg_id", "uuid"],
  source: ["source", "medium", "modality"],
  game: ["game", "game_title", "title"],
  channel: ["channel", "room", "chat_channel", "server"],
  conversation_id: ["conversation_id", "conversation", "thread_id", "match_id", "session_id", "chat_id"],
  speaker_id: ["speaker_id", "speaker", "player_id", "user_id", "author_id", "author", "user", "player"],
  occurred_at: ["occurred_at", "timestamp", "time", "created_at", "sent_at", "date", "ts"],
  label: ["label", "category", "class", "intent_class", "intentclass"],
};

/** field → source column (CSV header) or key (JSON); fields left out use DEFAULT_ALIASES. */
export const ZColumnMapping = z.partialRecord(z.enum(IMPORT_FIELDS), z.string().trim().min(1));
export type TColumnMapping = z.infer<typeof ZColumnMapping>;

/** field → the exact key to read in each record; absent = the file has no such column. */
export type TResolvedColumns = Partial<Record<TImportField, string>>;

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, "");

/**
 * Parses the CLI form `text=comment_text,external_id=id` (also accepts `:` for `=`).
 * Throws an Error naming the bad part, for the caller to turn into its own error type.
 */
export function parseMappingArg(arg: string): TColumnMapping {
  const mapping: Record<string, string> = {};
  for (const part of arg
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([^=:]+)[=:](.+)$/.exec(part);
    if (!match) throw new Error(`"${part}" is not field=column`);
    const field = match[1].trim().toLowerCase();
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) {
      throw new Error(`"${field}" is not an import field (fields: ${IMPORT_FIELDS.join(", ")})`);
    }
    mapping[field] = match[2].trim();
  }
  return ZColumnMapping.parse(mapping);
}

/**
 * Decides which column feeds each field: an explicit mapping must name an existing column
 * (matched exactly, then case-insensitively); otherwise the first alias present wins.
 * Returns the missing explicit columns instead of throwing, so CSV can refuse the file while
 * JSONL (whose keys vary per line) can treat them as absent on that line.
 */
export function resolveColumns(
  keys: readonly string[],
  mapping: TColumnMapping = {},
): { columns: TResolvedColumns; missing: { field: TImportField; column: string }[] } {
  const bySquashed = new Map<string, string>();
  for (const key of keys) {
    const s = squash(key);
    if (!bySquashed.has(s)) bySquashed.set(s, key);
  }
  const columns: TResolvedColumns = {};
  const missing: { field: TImportField; column: string }[] = [];
  // explicit mappings first, so an alias never claims a column the user assigned elsewhere
  for (const field of IMPORT_FIELDS) {
    const explicit = mapping[field];
    if (explicit === undefined) continue;
    const found = keys.includes(explicit) ? explicit : bySquashed.get(squash(explicit));
    if (found === undefined) missing.push({ field, column: explicit });
    else columns[field] = found;
  }
  const claimed = new Set(Object.values(columns));
  for (const field of IMPORT_FIELDS) {
    if (mapping[field] !== undefined) continue;
    for (const alias of DEFAULT_ALIASES[field]) {
      const found = bySquashed.get(squash(alias));
      // one column feeds one field: `id` must not become both external id and something else
      if (found !== undefined && !claimed.has(found)) {
        columns[field] = found;
        claimed.add(found);
        break;
      }
    }
  }
  return { columns, missing };
}

/** Picks the mapped values out of one parsed record. */
export function pickFields(record: Record<string, unknown>, columns: TResolvedColumns): Partial<Record<TImportField, unknown>> {
  const out: Partial<Record<TImportField, unknown>> = {};
  for (const field of IMPORT_FIELDS) {
    const key = columns[field];
    if (key !== undefined) out[field] = record[key];
  }
  return out;
}
