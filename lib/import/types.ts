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

/** GET /api/imports/[id] */
export type TImportBatch = Omit<TImportSummary, "importBatchId" | "skipped" | "warnings"> & {
  id: number;
  filename: string;
  format: string;
  status: TImportBatchStatus;
  createdAt: string;
  finishedAt: string | null;
};
