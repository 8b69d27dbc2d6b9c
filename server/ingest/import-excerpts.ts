import { parseCsv } from "@/lib/import/csv.ts";
import { parseJsonl } from "@/lib/import/jsonl.ts";
import type { TLabelMap } from "@/lib/import/labels.ts";
import { UnusableInputError, type TImportInput } from "@/lib/import/lines.ts";
import { DEFAULT_ALIASES, pickFields, resolveColumns, type TColumnMapping, type TResolvedColumns } from "@/lib/import/mapping.ts";
import type { TImportFormat, TImportSummary } from "@/lib/import/types.ts";
import { runImport, type TImportProgress, type TInsertedExcerpts } from "./run-import.ts";

export type TImportExcerptsOptions = {
  workspaceId: number;
  /** recorded on the batch and on the decisions of labelled rows */
  userId: number;
  input: NodeJS.ReadableStream | AsyncIterable<string | Buffer | Uint8Array>;
  format: TImportFormat;
  filename: string;
  mapping?: TColumnMapping;
  labelMap?: TLabelMap;
  /** gold test data: stored with held_out = true so training never sees it */
  heldOut?: boolean;
  /** CSV only; default "," */
  delimiter?: string;
  chunkSize?: number;
  /** chunks written concurrently; 1 = strictly in file order */
  writers?: number;
  onProgress?: (progress: TImportProgress) => void;
  /** after each committed chunk, with the ids of the excerpts it created (e.g. to queue scoring) */
  onInserted?: (inserted: TInsertedExcerpts) => void | Promise<void>;
};

function describeMissingText(keys: readonly string[], mapping: TColumnMapping): string {
  const wanted = mapping.text ? `"${mapping.text}"` : `one of ${DEFAULT_ALIASES.text.join(", ")}`;
  return `no text column: expected ${wanted}, found ${keys.map((k) => `"${k}"`).join(", ") || "no columns"}. Map it with text=<column> (CLI: --map text=<column>)`;
}

/**
 * Imports a CSV or JSONL stream of excerpts into a workspace, in constant memory whatever the size.
 * Bad rows are reported with their line and skipped; rows already in the workspace (same external
 * id, else same normalised text in the same conversation) are counted as duplicates, never doubled.
 * Throws AppError BAD_INPUT when the file cannot be imported at all (no text column, empty file).
 */
export async function importExcerpts(opts: TImportExcerptsOptions): Promise<TImportSummary> {
  const mapping = opts.mapping ?? {};
  const input = opts.input as TImportInput;
  let csvColumns: TResolvedColumns | null = null;
  // JSONL keys may differ per line: resolve per distinct key set (usually one), checking the first line strictly
  let jsonKeySignature = "";
  let jsonColumns: TResolvedColumns = {};
  let hasCheckedJsonText = false;

  const source =
    opts.format === "csv"
      ? parseCsv(input, {
          delimiter: opts.delimiter,
          onHeader: (header) => {
            const { columns, missing } = resolveColumns(header, mapping);
            if (missing.length > 0) {
              const list = missing.map((m) => `"${m.column}" (for ${m.field})`).join(", ");
              throw new UnusableInputError(`the mapping names columns that are not in the header: ${list}; the header has ${header.map((h) => `"${h}"`).join(", ")}`);
            }
            if (!columns.text) throw new UnusableInputError(describeMissingText(header, mapping));
            csvColumns = columns;
          },
        })
      : parseJsonl(input);

  return runImport({
    workspaceId: opts.workspaceId,
    userId: opts.userId,
    filename: opts.filename,
    format: opts.format,
    batchOptions: { mapping, labelMap: opts.labelMap ?? {}, heldOut: opts.heldOut === true, delimiter: opts.delimiter },
    labelMap: opts.labelMap,
    heldOut: opts.heldOut,
    chunkSize: opts.chunkSize,
    writers: opts.writers,
    source,
    onProgress: opts.onProgress,
    onInserted: opts.onInserted,
    mapRecord: (record) => {
      if (csvColumns) return { fields: pickFields(record, csvColumns) };
      const keys = Object.keys(record);
      const signature = keys.join("\u0000");
      if (signature !== jsonKeySignature) {
        jsonKeySignature = signature;
        jsonColumns = resolveColumns(keys, mapping).columns;
      }
      if (!jsonColumns.text) {
        // the first object decides whether this is an excerpt file at all
        if (!hasCheckedJsonText) throw new UnusableInputError(describeMissingText(keys, mapping));
        return { reason: describeMissingText(keys, mapping) };
      }
      hasCheckedJsonText = true;
      return { fields: pickFields(record, jsonColumns) };
    },
  });
}
