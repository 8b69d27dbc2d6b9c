import { z } from "zod";

/** Shapes shared by the import code (server/ingest), the CLI, the API and the import UI. No Node imports here. */

export const IMPORT_FORMATS = ["csv", "jsonl"] as const;
export const ZImportFormat = z.enum(IMPORT_FORMATS);
export type TImportFormat = z.infer<typeof ZImportFormat>;

/**
 * One rejected row: `line` is the 1-based source line (CSV/JSONL) or the 0-based record index (JSON
 * batches). `group` is the reason without this row's particulars (e.g. which earlier line), for the
 * grouped summary; absent when `reason` is already the same for every row it applies to.
 */
export type TImportError = { line: number; reason: string; group?: string };

/**
 * Rows skipped for one reason: how many, and their lines (in file order). `details[i]`, when
 * present, is the full reason for `lines[i]` (e.g. naming the earlier line a duplicate repeats).
 */
export type TSkippedGroup = { reason: string; count: number; lines: number[]; details?: string[] };

export type TImportSummary = {
  importBatchId: number;
  totalRows: number;
  insertedRows: number;
  duplicateRows: number;
  labelledRows: number;
  errorRows: number;
  errors: TImportError[];
  /** every skipped row, grouped by reason, largest group first */
  skipped: TSkippedGroup[];
  /** things worth knowing that rejected no row (e.g. a file with a header and no rows) */
  warnings: string[];
};

export const IMPORT_BATCH_STATUSES = ["running", "done", "failed"] as const;
export type TImportBatchStatus = (typeof IMPORT_BATCH_STATUSES)[number];

/**
 * A stored import's error: a skipped row's line and reason, or why the import stopped. A batch whose
 * process died says so without a line (nobody knows which line it had reached: see fail-stalled-imports.ts).
 */
export type TImportBatchError = Omit<TImportError, "line"> & { line: number | null };

/** GET /api/imports/[id] */
export type TImportBatch = Omit<TImportSummary, "importBatchId" | "skipped" | "warnings" | "errors"> & {
  id: number;
  errors: TImportBatchError[];
  filename: string;
  format: string;
  status: TImportBatchStatus;
  createdAt: string;
  finishedAt: string | null;
};

/** One of the first rows of a preview: the excerpt as the import would store it, or why it would be skipped. */
export type TPreviewRow =
  | {
      line: number;
      excerpt: {
        text: string;
        externalId: string | null;
        source: "text" | "voice";
        game: string | null;
        channel: string | null;
        conversationId: string | null;
        speakerId: string | null;
        occurredAt: string | null;
        /** the label as written in the file */
        label: string | null;
      };
    }
  | { line: number; error: string };

/** POST /api/imports/preview: what an import of this file would do, with nothing written. */
export type TImportPreview = {
  format: TImportFormat;
  /** the CSV header, or the first JSON object's keys */
  columns: string[];
  /** field → the column that feeds it (explicit mapping, else detected by name) */
  detected: Partial<Record<string, string>>;
  rows: TPreviewRow[];
  /** every label in the file with its count and the proposed category (null = unmapped) */
  labels: { label: string; count: number; category: string | null; note?: string }[];
  /** more distinct labels than the table shows */
  hasMoreLabels: boolean;
  categories: { name: string; isActive: boolean }[];
  totalRows: number;
  /** rows that would be skipped whatever the label mapping, grouped by reason */
  skipped: TSkippedGroup[];
  warnings: string[];
  /** the file is larger than the preview reads; counts cover its beginning only */
  isPartial: boolean;
  bytesRead: number;
};
