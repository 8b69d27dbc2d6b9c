import { AppError } from "@/lib/errors.ts";
import { createInFileDuplicates, IN_FILE_DUPLICATE } from "@/lib/import/in-file-duplicates.ts";
import { proposeLabelMapping } from "@/lib/import/labels.ts";
import { UnusableInputError } from "@/lib/import/lines.ts";
import { toExcerptRow } from "@/lib/import/row.ts";
import { createSkipTally } from "@/lib/import/skipped.ts";
import type { TImportPreview, TPreviewRow } from "@/lib/import/types.ts";
import { getPool } from "../db/pool.ts";
import { openExcerptSource, type TExcerptSourceOptions } from "./import-excerpts.ts";
import { storableMessage } from "./run-import.ts";

export const PREVIEW_ROWS = 20;
/** distinct labels listed; a file with more is not a label column (or needs --label-columns) */
export const PREVIEW_MAX_LABELS = 200;
/** how much of the file a preview reads: enough for every label of a typical labelled set */
export const PREVIEW_MAX_BYTES = 64 * 1024 * 1024;

/** Passes chunks through until `maxBytes`, then stops at the last complete line. */
async function* capped(input: AsyncIterable<string | Uint8Array>, maxBytes: number, state: { bytes: number; isPartial: boolean }) {
  for await (const chunk of input) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (state.bytes + bytes.length <= maxBytes) {
      state.bytes += bytes.length;
      yield bytes;
      continue;
    }
    const room = bytes.subarray(0, maxBytes - state.bytes);
    const end = room.lastIndexOf(0x0a);
    if (end >= 0) {
      state.bytes += end + 1;
      yield room.subarray(0, end + 1);
    }
    state.isPartial = true;
    return;
  }
}

/**
 * Reads an import file the way importExcerpts would — same reader, same column mapping, same row
 * rules — and reports what it would store, writing nothing: the first rows as stored, the detected
 * columns, every label with a proposed category (case-insensitive exact name match onto an active
 * category; everything else unmapped), and the rows that would be skipped, grouped by reason.
 */
export async function previewImport(opts: TExcerptSourceOptions & { workspaceId: number; maxBytes?: number }): Promise<TImportPreview> {
  const { rows: workspaces } = await getPool().query<{ slug: string; isArchived: boolean }>(
    `SELECT slug, archived_at IS NOT NULL AS "isArchived" FROM workspace WHERE id = $1`,
    [opts.workspaceId],
  );
  if (workspaces[0]?.isArchived) {
    throw new AppError(
      "CONFLICT",
      `workspace: "${workspaces[0].slug}" is archived and takes no imports. Unarchive it first, or import into another workspace.`,
    );
  }
  const { rows: categories } = await getPool().query<{ id: number; name: string; isActive: boolean }>(
    `SELECT id, name, is_active AS "isActive" FROM category WHERE workspace_id = $1 ORDER BY sort_order, id`,
    [opts.workspaceId],
  );
  const read = { bytes: 0, isPartial: false };
  const source = openExcerptSource({ ...opts, input: capped(opts.input as AsyncIterable<string | Uint8Array>, opts.maxBytes ?? PREVIEW_MAX_BYTES, read) });
  const tally = createSkipTally();
  const duplicates = createInFileDuplicates();
  const labelCounts = new Map<string, number>();
  let hasMoreLabels = false;
  const rows: TPreviewRow[] = [];
  let totalRows = 0;
  const skip = (line: number, reason: string, group?: string) => {
    const error = storableMessage(reason);
    tally.add({ line, reason: error, group });
    if (rows.length < PREVIEW_ROWS) rows.push({ line, error });
  };
  try {
    for await (const batch of source.rows) {
      for (const parsed of batch) {
        totalRows++;
        if ("error" in parsed) {
          skip(parsed.line, parsed.error);
          continue;
        }
        const mapped = source.mapRecord(parsed.record);
        if ("reason" in mapped) {
          skip(parsed.line, mapped.reason);
          continue;
        }
        const result = toExcerptRow(mapped.fields);
        if ("reason" in result) {
          skip(parsed.line, result.reason);
          continue;
        }
        const r = result.row;
        if (r.externalId !== null) {
          const repeated = duplicates.check(r.externalId, r.text, r.label, parsed.line);
          if (repeated) {
            skip(
              parsed.line,
              `external id "${r.externalId.slice(0, 60)}" was already used on line ${repeated.firstLine} with a different text or label; line ${parsed.line} is skipped`,
              IN_FILE_DUPLICATE,
            );
            continue;
          }
        }
        if (r.label !== null) {
          const count = labelCounts.get(r.label);
          if (count !== undefined) labelCounts.set(r.label, count + 1);
          else if (labelCounts.size < PREVIEW_MAX_LABELS) labelCounts.set(r.label, 1);
          else hasMoreLabels = true;
        }
        if (rows.length < PREVIEW_ROWS) {
          rows.push({
            line: parsed.line,
            excerpt: {
              text: r.text,
              externalId: r.externalId,
              source: r.source,
              game: r.game,
              channel: r.channel,
              conversationId: r.conversationId,
              speakerId: r.speakerId,
              occurredAt: r.occurredAt ? r.occurredAt.toISOString() : null,
              label: r.label,
            },
          });
        }
      }
    }
  } catch (err) {
    if (err instanceof UnusableInputError) throw new AppError("BAD_INPUT", storableMessage(`${err.message}. Nothing can be imported from this file.`));
    throw err;
  }
  const warnings: string[] = [];
  if (totalRows === 0) warnings.push("The file has a header but no rows: an import would import nothing.");
  if (read.isPartial) warnings.push(`The preview read the first ${Math.round(read.bytes / 1048576)} MB of the file; the import reads all of it.`);
  if (hasMoreLabels) warnings.push(`The label column has more than ${PREVIEW_MAX_LABELS} different values: is it really the label column?`);
  return {
    format: opts.format,
    columns: source.columns(),
    detected: source.resolved(),
    rows,
    labels: proposeLabelMapping(labelCounts, categories),
    hasMoreLabels,
    categories: categories.map((c) => ({ name: c.name, isActive: c.isActive })),
    totalRows,
    skipped: tally.groups(),
    warnings,
    isPartial: read.isPartial,
    bytesRead: read.bytes,
  };
}
