import type { TSplitName } from "./params.ts";

/** One exported example. Field order here is the column order of every format. */
export type TExportRow = {
  id: string;
  /** the id the row had in the file or system it was imported from, so exports join back to it */
  externalId: string | null;
  text: string;
  label: string;
  labelIndex: number;
  split: TSplitName;
  source: "text" | "voice";
  game: string | null;
  channel: string | null;
  conversationId: string | null;
  speakerId: string | null;
  /** ISO time the line was said (data, not export time) */
  occurredAt: string | null;
  /** moderators whose vote counted */
  decisionCount: number;
  agreeing: number;
  agreement: number;
  isDisputed: boolean;
  isAudit: boolean;
  labelMethod: "adjudicated" | "latest" | "majority";
  /** the model's suggestion when the deciding moderator labelled it */
  modelVersion: string | null;
  modelSuggestion: string | null;
  modelScore: number | null;
  toxicScore: number | null;
};

export type TColumnKind = "string" | "int" | "float" | "bool";
export type TColumn = { name: string; field: keyof TExportRow; kind: TColumnKind; nullable: boolean };

/** Columns of the flat files (JSONL, CSV, Parquet): snake_case, one row per example, split as a column. */
export const EXPORT_COLUMNS: readonly TColumn[] = [
  { name: "id", field: "id", kind: "string", nullable: false },
  { name: "external_id", field: "externalId", kind: "string", nullable: true },
  { name: "text", field: "text", kind: "string", nullable: false },
  { name: "label", field: "label", kind: "string", nullable: false },
  { name: "label_index", field: "labelIndex", kind: "int", nullable: false },
  { name: "split", field: "split", kind: "string", nullable: false },
  { name: "source", field: "source", kind: "string", nullable: false },
  { name: "game", field: "game", kind: "string", nullable: true },
  { name: "channel", field: "channel", kind: "string", nullable: true },
  { name: "conversation_id", field: "conversationId", kind: "string", nullable: true },
  { name: "speaker_id", field: "speakerId", kind: "string", nullable: true },
  { name: "occurred_at", field: "occurredAt", kind: "string", nullable: true },
  { name: "decision_count", field: "decisionCount", kind: "int", nullable: false },
  { name: "agreeing", field: "agreeing", kind: "int", nullable: false },
  { name: "agreement", field: "agreement", kind: "float", nullable: false },
  { name: "is_disputed", field: "isDisputed", kind: "bool", nullable: false },
  { name: "is_audit", field: "isAudit", kind: "bool", nullable: false },
  { name: "label_method", field: "labelMethod", kind: "string", nullable: false },
  { name: "model_version", field: "modelVersion", kind: "string", nullable: true },
  { name: "model_suggestion", field: "modelSuggestion", kind: "string", nullable: true },
  { name: "model_score", field: "modelScore", kind: "float", nullable: true },
  { name: "toxic_score", field: "toxicScore", kind: "float", nullable: true },
];

/**
 * Columns of the Hugging Face folder: one file per split (so no split column); `label` is the integer
 * class (a ClassLabel in the card) and `label_name` its name, as `datasets` and Trainer expect.
 */
export const HF_COLUMNS: readonly TColumn[] = EXPORT_COLUMNS.filter((c) => c.name !== "split")
  .map((c) => (c.name === "label" ? { ...c, name: "label_name" } : c.name === "label_index" ? { ...c, name: "label" } : c))
  .sort((a, b) => hfOrder(a.name) - hfOrder(b.name));

function hfOrder(name: string): number {
  const first = ["id", "external_id", "text", "label", "label_name"];
  const i = first.indexOf(name);
  return i === -1 ? first.length : i;
}
