import { z } from "zod";

/** Shapes shared by the import code (server/ingest), the CLI, the API and the import UI. No Node imports here. */

export const IMPORT_FORMATS = ["csv", "jsonl"] as const;
export const ZImportFormat = z.enum(IMPORT_FORMATS);
export type TImportFormat = z.infer<typeof ZImportFormat>;

/** One rejected row: `line` is the 1-based source line (CSV/JSONL) or the 0-based record index (JSON batches). */
export type TImportError = { line: number; reason: string };

export type TImportSummary = {
  importBatchId: number;
  totalRows: number;
  insertedRows: number;
  duplicateRows: number;
  labelledRows: number;
  errorRows: number;
  errors: TImportError[];
};

export const IMPORT_BATCH_STATUSES = ["running", "done", "failed"] as const;
export type TImportBatchStatus = (typeof IMPORT_BATCH_STATUSES)[number];

/** GET /api/imports/[id] */
export type TImportBatch = Omit<TImportSummary, "importBatchId"> & {
  id: number;
  filename: string;
  format: string;
  status: TImportBatchStatus;
  createdAt: string;
  finishedAt: string | null;
};
