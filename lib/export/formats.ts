import { csvQuote, neutraliseCell } from "@/lib/text/csv.ts";
import { EXPORT_COLUMNS, type TColumn, type TExportRow } from "./row.ts";

/** Text formatters. Each returns exactly the bytes written, so equal rows give byte-identical files. */

function toObject(row: TExportRow, columns: readonly TColumn[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c.name] = row[c.field];
  return out;
}

// Object literals of a fixed shape (not built key by key) keep JSON.stringify on V8's fast path;
// formats.test.ts checks that the keys match EXPORT_COLUMNS / HF_COLUMNS exactly.
export function jsonlLine(r: TExportRow): string {
  return fillSplit(jsonlTemplate(r), r.split);
}

/**
 * A row's line with its split left open (SPLIT_MARK): exports format every row once, while the split
 * plan is still being built, and only drop the split name in afterwards.
 */
export function jsonlTemplate(r: TExportRow): string {
  // two fixed-shape objects around the split: no scan of the finished line for a placeholder
  const head = JSON.stringify({ id: r.id, external_id: r.externalId, text: r.text, label: r.label, label_index: r.labelIndex });
  return `${head.slice(0, -1)},"split":"${SPLIT_MARK}",${JSON.stringify(metadataOf(r)).slice(1)}\n`;
}

/** The columns after the label and split, the same in the JSONL and the Hugging Face JSONL. */
function metadataOf(r: TExportRow) {
  return {
    source: r.source,
    game: r.game,
    channel: r.channel,
    conversation_id: r.conversationId,
    speaker_id: r.speakerId,
    occurred_at: r.occurredAt,
    decision_count: r.decisionCount,
    agreeing: r.agreeing,
    agreement: r.agreement,
    is_disputed: r.isDisputed,
    is_audit: r.isAudit,
    label_method: r.labelMethod,
    model_version: r.modelVersion,
    model_suggestion: r.modelSuggestion,
    model_score: r.modelScore,
    toxic_score: r.toxicScore,
  };
}

/**
 * Placeholder for the split in a line template: a NUL character, which PostgreSQL text can never hold
 * and JSON always escapes, so it cannot collide with data.
 */
export const SPLIT_MARK = "\u0000";

export function fillSplit(template: string, split: string): string {
  return template.replace(SPLIT_MARK, split);
}

export function hfJsonlLine(r: TExportRow): string {
  const head = JSON.stringify({ id: r.id, external_id: r.externalId, text: r.text, label: r.labelIndex, label_name: r.label });
  return `${head.slice(0, -1)},${JSON.stringify(metadataOf(r)).slice(1)}\n`;
}

/** The slow, generic form of the lines above; tests hold the fast ones to it. */
export function rowObject(row: TExportRow, columns: readonly TColumn[] = EXPORT_COLUMNS): Record<string, unknown> {
  return toObject(row, columns);
}

/** Compact spool form of a row (values in EXPORT_COLUMNS order, split left out) and back. */
export function spoolLine(r: TExportRow): string {
  return `${JSON.stringify([
    r.id,
    r.text,
    r.label,
    r.labelIndex,
    r.source,
    r.game,
    r.channel,
    r.conversationId,
    r.speakerId,
    r.occurredAt,
    r.decisionCount,
    r.agreeing,
    r.agreement,
    r.isDisputed,
    r.isAudit,
    r.labelMethod,
    r.modelVersion,
    r.modelSuggestion,
    r.modelScore,
    r.toxicScore,
    r.externalId,
  ])}\n`;
}

export function parseSpoolLine(line: string, split: TExportRow["split"]): TExportRow {
  const v = JSON.parse(line);
  return {
    id: v[0],
    text: v[1],
    label: v[2],
    labelIndex: v[3],
    split,
    source: v[4],
    game: v[5],
    channel: v[6],
    conversationId: v[7],
    speakerId: v[8],
    occurredAt: v[9],
    decisionCount: v[10],
    agreeing: v[11],
    agreement: v[12],
    isDisputed: v[13],
    isAudit: v[14],
    labelMethod: v[15],
    modelVersion: v[16],
    modelSuggestion: v[17],
    modelScore: v[18],
    toxicScore: v[19],
    externalId: v[20],
  };
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
  return fillSplit(csvTemplate(row), row.split);
}

export function csvTemplate(row: TExportRow): string {
  let line = "";
  for (let i = 0; i < EXPORT_COLUMNS.length; i++) {
    const c = EXPORT_COLUMNS[i];
    if (i > 0) line += ",";
    line += c.field === "split" ? SPLIT_MARK : csvCell(row[c.field], c);
  }
  return `${line}\r\n`;
}

/** The diff index kept with every snapshot: one sorted line per row, enough to diff two snapshots. */
export function indexLine(row: TExportRow): string {
  return fillSplit(indexTemplate(row), row.split);
}

export function indexTemplate(row: TExportRow): string {
  return `${row.id}\t${SPLIT_MARK}\t${row.labelIndex}\t${row.label.replace(/[\t\n\r\u0000]/g, " ")}\n`;
}
