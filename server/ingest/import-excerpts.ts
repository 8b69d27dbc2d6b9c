import { parseCsv } from "@/lib/import/csv.ts";
import { parseJsonl } from "@/lib/import/jsonl.ts";
import { labelFromFlagColumns, type TLabelMap } from "@/lib/import/labels.ts";
import { UnusableInputError, type TImportInput, type TParsedRow } from "@/lib/import/lines.ts";
import { DEFAULT_ALIASES, pickFields, resolveColumns, type TColumnMapping, type TImportField, type TResolvedColumns } from "@/lib/import/mapping.ts";
import { AppError } from "@/lib/errors.ts";
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
  /**
   * 0/1 columns, one per label, in priority order (Jigsaw style): the row's label is the first set
   * column's name, else "clean"; map those names with labelMap. Replaces a label column.
   */
  labelColumns?: string[];
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
  return `no text column: expected ${wanted}, found ${keys.map((k) => JSON.stringify(k)).join(", ") || "no columns"}. Map it with text=<column> (CLI: --map text=<column>)`;
}

export type TExcerptSourceOptions = Pick<TImportExcerptsOptions, "input" | "format" | "mapping" | "labelColumns" | "delimiter">;

export type TExcerptSource = {
  /** parsed rows in file order; throws UnusableInputError when the file cannot be imported at all */
  rows: AsyncIterable<TParsedRow[]>;
  /** picks the mapped fields from a record, or says why the record cannot be used */
  mapRecord: (record: Record<string, unknown>) => { fields: Partial<Record<TImportField, unknown>> } | { reason: string };
  /** the CSV header, or the first JSON object's keys, once the first rows were read */
  columns: () => string[];
  /** field → the column that feeds it, once the first rows were read */
  resolved: () => TResolvedColumns;
};

/**
 * The parsing half of an import, shared by importExcerpts (which writes) and previewImport (which
 * only reads): the format's reader, the column mapping resolved against the header, and the label
 * flag columns, so a preview shows exactly what the import will store.
 */
export function openExcerptSource(opts: TExcerptSourceOptions): TExcerptSource {
  const mapping = opts.mapping ?? {};
  const input = opts.input as TImportInput;
  const labelColumns = opts.labelColumns?.map((c) => c.trim()).filter(Boolean) ?? [];
  if (labelColumns.length > 0 && mapping.label) {
    throw new AppError("VALIDATION", "Use either a label column (mapping label=…) or label flag columns, not both.");
  }
  // CSV: the header's spelling of each flag column (matched case-insensitively)
  let flagColumns = labelColumns;
  let csvColumns: TResolvedColumns | null = null;
  let header: string[] = [];
  // JSONL keys may differ per line: resolve per distinct key set (usually one), checking the first line strictly
  let jsonKeySignature = "";
  let jsonColumns: TResolvedColumns = {};
  let firstJsonKeys: string[] | null = null;
  let firstJsonColumns: TResolvedColumns = {};
  let hasCheckedJsonText = false;

  const rows =
    opts.format === "csv"
      ? parseCsv(input, {
          delimiter: opts.delimiter,
          onHeader: (h) => {
            header = h;
            const { columns, missing } = resolveColumns(h, mapping);
            if (missing.length > 0) {
              const list = missing.map((m) => `${JSON.stringify(m.column)} (for ${m.field})`).join(", ");
              throw new UnusableInputError(
                `the mapping names columns that are not in the header: ${list}; the header has ${h.map((x) => JSON.stringify(x)).join(", ")}`,
              );
            }
            if (!columns.text) throw new UnusableInputError(describeMissingText(h, mapping));
            if (labelColumns.length > 0) {
              const lower = new Map(h.map((x) => [x.toLowerCase(), x]));
              const absent = labelColumns.filter((c) => !lower.has(c.toLowerCase()));
              if (absent.length > 0) throw new UnusableInputError(`label columns not in the header: ${absent.map((c) => JSON.stringify(c)).join(", ")}`);
              flagColumns = labelColumns.map((c) => lower.get(c.toLowerCase()) as string);
              delete columns.label;
            }
            csvColumns = columns;
          },
        })
      : parseJsonl(input);

  function mapFields(record: Record<string, unknown>): { fields: Partial<Record<TImportField, unknown>> } | { reason: string } {
    if (csvColumns) return { fields: pickFields(record, csvColumns) };
    const keys = Object.keys(record);
    const signature = keys.join("\u0000");
    if (signature !== jsonKeySignature) {
      jsonKeySignature = signature;
      jsonColumns = resolveColumns(keys, mapping).columns;
      if (firstJsonKeys === null) {
        firstJsonKeys = keys;
        firstJsonColumns = jsonColumns;
      }
    }
    if (!jsonColumns.text) {
      // the first object decides whether this is an excerpt file at all
      if (!hasCheckedJsonText) throw new UnusableInputError(describeMissingText(keys, mapping));
      return { reason: describeMissingText(keys, mapping) };
    }
    hasCheckedJsonText = true;
    return { fields: pickFields(record, jsonColumns) };
  }

  return {
    rows,
    mapRecord: (record) => {
      const mapped = mapFields(record);
      if ("reason" in mapped || labelColumns.length === 0) return mapped;
      const flagged = labelFromFlagColumns(record, flagColumns);
      if ("reason" in flagged) return flagged;
      return { fields: { ...mapped.fields, label: flagged.label } };
    },
    columns: () => (opts.format === "csv" ? header : (firstJsonKeys ?? [])),
    resolved: () => (opts.format === "csv" ? (csvColumns ?? {}) : firstJsonColumns),
  };
}

/**
 * Imports a CSV or JSONL stream of excerpts into a workspace, in constant memory whatever the size.
 * Bad rows are reported with their line and skipped; rows already in the workspace (same external
 * id, else same normalised text in the same conversation) are counted as duplicates, never doubled.
 * Throws AppError BAD_INPUT when the file cannot be imported at all (no text column, empty file).
 */
export async function importExcerpts(opts: TImportExcerptsOptions): Promise<TImportSummary> {
  const mapping = opts.mapping ?? {};
  const labelColumns = opts.labelColumns?.map((c) => c.trim()).filter(Boolean) ?? [];
  const source = openExcerptSource(opts);
  return runImport({
    workspaceId: opts.workspaceId,
    userId: opts.userId,
    filename: opts.filename,
    format: opts.format,
    batchOptions: { mapping, labelMap: opts.labelMap ?? {}, labelColumns, heldOut: opts.heldOut === true, delimiter: opts.delimiter },
    labelMap: opts.labelMap,
    heldOut: opts.heldOut,
    chunkSize: opts.chunkSize,
    writers: opts.writers,
    source: source.rows,
    onProgress: opts.onProgress,
    onInserted: opts.onInserted,
    mapRecord: source.mapRecord,
  });
}
