import type { TLabelMap } from "@/lib/import/labels.ts";
import type { TParsedRow } from "@/lib/import/lines.ts";
import { pickFields, resolveColumns, type TColumnMapping } from "@/lib/import/mapping.ts";
import type { TImportSummary } from "@/lib/import/types.ts";
import { runImport, type TInsertedExcerpts } from "./run-import.ts";

export const MAX_RECORDS_PER_BATCH = 5_000;

/**
 * Imports a JSON batch of excerpt records (POST /api/excerpts). Same rules as a file import;
 * errors carry the record's 0-based index in `line`, and the valid records are kept.
 */
export async function importRecords(opts: {
  workspaceId: number;
  userId: number;
  records: readonly unknown[];
  mapping?: TColumnMapping;
  labelMap?: TLabelMap;
  heldOut?: boolean;
  filename?: string;
  onInserted?: (inserted: TInsertedExcerpts) => void | Promise<void>;
}): Promise<TImportSummary> {
  const mapping = opts.mapping ?? {};
  async function* source(): AsyncGenerator<TParsedRow[]> {
    yield opts.records.map((value, index): TParsedRow => {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return { line: index, error: `record ${index} is not an object` };
      }
      return { line: index, record: value as Record<string, unknown> };
    });
  }
  return runImport({
    workspaceId: opts.workspaceId,
    userId: opts.userId,
    filename: opts.filename ?? "api",
    format: "json",
    batchOptions: { mapping, labelMap: opts.labelMap ?? {}, heldOut: opts.heldOut === true },
    labelMap: opts.labelMap,
    heldOut: opts.heldOut,
    source: source(),
    onInserted: opts.onInserted,
    mapRecord: (record) => {
      const { columns } = resolveColumns(Object.keys(record), mapping);
      if (!columns.text) return { reason: `record has no text field (${mapping.text ? `"${mapping.text}"` : "text, message, comment_text, …"})` };
      return { fields: pickFields(record, columns) };
    },
  });
}
