import type pg from "pg";
import { AppError } from "@/lib/errors.ts";
import { createLabelResolver, type TLabelMap, type TLabelResolver } from "@/lib/import/labels.ts";
import { UnusableInputError, type TParsedRow } from "@/lib/import/lines.ts";
import type { TImportField } from "@/lib/import/mapping.ts";
import { createInFileDuplicates, IN_FILE_DUPLICATE } from "@/lib/import/in-file-duplicates.ts";
import { toExcerptRow } from "@/lib/import/row.ts";
import { ByteBuilder } from "@/lib/text/byte-builder.ts";
import { createSkipTally } from "@/lib/import/skipped.ts";
import type { TImportError, TImportSummary } from "@/lib/import/types.ts";
import { getPool } from "../db/pool.ts";
import { ensureImportStage, writeExcerptChunk, type TChunkProgress, toStageLine } from "./write-excerpt-chunk.ts";

// Rows per transaction. Large enough that per-statement overhead vanishes, small enough that a
// chunk's COPY payload and the rows waiting behind it stay a few MB (constant memory).
export const DEFAULT_CHUNK_SIZE = 5_000;
// Chunks written at once, each in its own transaction and connection. Two keep both cores of a
// small machine busy (index maintenance dominates); rows are inserted in dedup-key order so
// concurrent chunks that share a key wait for each other instead of deadlocking.
export const DEFAULT_WRITERS = 2;
/** errors kept on the import_batch row (the UI shows these) */
export const STORED_ERRORS = 100;
/**
 * How often a running import touches its batch's heartbeat_at, from a timer independent of how fast the
 * file arrives: a batch whose heartbeat stopped lost its process (fail-stalled-imports.ts).
 */
export const IMPORT_HEARTBEAT_MS = 10_000;
/** errors returned in the summary; beyond this only the count grows, so memory stays bounded */
export const REPORTED_ERRORS = 10_000;

export type TImportProgress = Omit<TImportSummary, "errors" | "skipped" | "warnings">;

/**
 * Text that PostgreSQL can store in text and jsonb: no NUL (jsonb refuses \u0000) and no other control
 * characters, which are shown as \uXXXX so a message about a file's bytes never carries them raw.
 */
export function storableMessage(message: string): string {
  return message.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
export type TInsertedExcerpts = { excerptIds: string[]; count: number };

export type TRunImportOptions = {
  workspaceId: number;
  userId: number;
  filename: string;
  format: string;
  /** what the batch was asked to do, stored on the import_batch row for the audit trail */
  batchOptions: Record<string, unknown>;
  labelMap?: TLabelMap;
  heldOut?: boolean;
  chunkSize?: number;
  /** chunks written concurrently (default DEFAULT_WRITERS); 1 writes them strictly in file order */
  writers?: number;
  /** parsed rows in source order; may throw UnusableInputError before or while yielding */
  source: AsyncIterable<TParsedRow[]>;
  /** picks the mapped fields from a record, or says why the record cannot be used */
  mapRecord: (record: Record<string, unknown>) => { fields: Partial<Record<TImportField, unknown>> } | { reason: string };
  onProgress?: (progress: TImportProgress) => void;
  onInserted?: (inserted: TInsertedExcerpts) => void | Promise<void>;
  /** how often the batch's heartbeat is touched (default IMPORT_HEARTBEAT_MS; tests use less) */
  heartbeatMs?: number;
};

async function markFailed(importBatchId: number, summary: TImportSummary, errors: TImportError[]): Promise<void> {
  await getPool().query(`UPDATE import_batch SET status = 'failed', finished_at = now(), total_rows = $2, error_rows = $3, errors = $4::jsonb WHERE id = $1`, [
    importBatchId,
    summary.totalRows,
    summary.errorRows,
    JSON.stringify(errors),
  ]);
}

async function loadLabelResolver(workspaceId: number, userId: number, labelMap: TLabelMap | undefined): Promise<TLabelResolver> {
  const pool = getPool();
  const [{ rows: workspaces }, { rows: users }, { rows: categories }] = await Promise.all([
    pool.query<{ slug: string; isArchived: boolean }>(`SELECT slug, archived_at IS NOT NULL AS "isArchived" FROM workspace WHERE id = $1`, [workspaceId]),
    pool.query(`SELECT id FROM app_user WHERE id = $1`, [userId]),
    pool.query<{ id: number; name: string; isActive: boolean }>(
      `SELECT id, name, is_active AS "isActive" FROM category WHERE workspace_id = $1 ORDER BY sort_order, id`,
      [workspaceId],
    ),
  ]);
  if (workspaces.length === 0) throw new AppError("NOT_FOUND", `Workspace ${workspaceId} does not exist.`);
  if (workspaces[0].isArchived) {
    throw new AppError(
      "CONFLICT",
      `workspace: "${workspaces[0].slug}" is archived and takes no imports. Unarchive it first, or import into another workspace.`,
    );
  }
  if (users.length === 0) throw new AppError("NOT_FOUND", `User ${userId} does not exist: imported labels need a user to record them under.`);
  try {
    return createLabelResolver(categories, labelMap);
  } catch (err) {
    throw new AppError("VALIDATION", `Fix the label map: ${(err as Error).message}.`);
  }
}

/**
 * The shared import loop behind importExcerpts (files) and importRecords (JSON batches): validate
 * and map each row, collect valid ones into chunks, and write each chunk in its own transaction
 * while the next one is being parsed. Bad rows are counted and reported with their line; only an
 * unusable input or a failed write stops the import (already committed chunks stay: re-running
 * the same file skips them as duplicates).
 */
export async function runImport(opts: TRunImportOptions): Promise<TImportSummary> {
  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const resolveLabel = await loadLabelResolver(opts.workspaceId, opts.userId, opts.labelMap);
  const pool = getPool();
  const { rows: created } = await pool.query<{ id: number }>(
    `INSERT INTO import_batch (workspace_id, user_id, filename, format, options) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [opts.workspaceId, opts.userId, opts.filename.slice(0, 500), opts.format, JSON.stringify(opts.batchOptions)],
  );
  const importBatchId = created[0].id;
  const summary: TImportSummary = {
    importBatchId,
    totalRows: 0,
    insertedRows: 0,
    duplicateRows: 0,
    labelledRows: 0,
    errorRows: 0,
    errors: [],
    skipped: [],
    warnings: [],
  };
  const tally = createSkipTally();
  const duplicates = createInFileDuplicates();
  const addError = (error: TImportError) => {
    const stored = { ...error, reason: storableMessage(error.reason) };
    summary.errorRows++;
    tally.add(stored);
    if (summary.errors.length < REPORTED_ERRORS) summary.errors.push(stored);
  };
  let storedErrors = 0;
  const errorsToStore = () => {
    const count = Math.min(summary.errors.length, STORED_ERRORS);
    if (count === storedErrors) return undefined;
    storedErrors = count;
    return summary.errors.slice(0, count);
  };

  const writers = Math.max(1, opts.writers ?? DEFAULT_WRITERS);
  const idleClients: pg.PoolClient[] = [];
  // Chunks being written, each on its own connection, while the parser fills the next one: the
  // parser and PostgreSQL use the cores at the same time, and memory holds writers + 1 chunks.
  const writing = new Set<Promise<void>>();
  let failure: AppError | null = null;
  const chunk = new ByteBuilder(1 << 20);
  let chunkRows = 0;
  let chunkLabelledRows = 0;
  let chunkFirstLine = 0;
  let chunkLastLine = 0;

  const writeChunk = async (payload: Buffer, rowCount: number, labelledRowCount: number, lines: [number, number], progress: TChunkProgress) => {
    let client = idleClients.pop();
    try {
      if (!client) {
        client = await pool.connect();
        await ensureImportStage(client);
      }
      const result = await writeExcerptChunk({
        client,
        workspaceId: opts.workspaceId,
        userId: opts.userId,
        importBatchId,
        isHeldOut: opts.heldOut === true,
        payload,
        rowCount,
        labelledRowCount,
        progress,
        wantIds: opts.onInserted !== undefined,
      });
      idleClients.push(client);
      client = undefined;
      summary.insertedRows += result.inserted;
      summary.labelledRows += result.labelled;
      summary.duplicateRows += rowCount - result.inserted;
      const { errors: _errors, ...counts } = summary;
      opts.onProgress?.(counts);
      if (result.inserted > 0 && opts.onInserted) {
        await Promise.resolve(opts.onInserted({ excerptIds: result.excerptIds, count: result.inserted })).catch((err: unknown) => {
          failure ??= new AppError(
            "INTERNAL",
            `Import stopped: the rows on lines ${lines[0]}–${lines[1]} were imported, but the follow-up step failed (${(err as Error).message}). Run the same import again to continue.`,
          );
        });
      }
    } catch (err) {
      // a connection whose transaction failed mid-COPY is dropped rather than returned to the pool
      client?.release(true);
      failure ??= new AppError(
        "INTERNAL",
        `Import stopped: the rows on lines ${lines[0]}–${lines[1]} could not be written (${(err as Error).message}). ` +
          `Nothing from those lines was saved; rows already written stay imported. Run the same import again to continue: imported rows are skipped as duplicates.`,
      );
    }
  };

  const flush = async () => {
    if (chunkRows > 0) {
      while (writing.size >= writers) await Promise.race(writing);
      if (failure) throw failure;
      const progress = { totalRows: summary.totalRows, errorRows: summary.errorRows, errors: errorsToStore() };
      const task = writeChunk(chunk.take(), chunkRows, chunkLabelledRows, [chunkFirstLine, chunkLastLine], progress);
      writing.add(task);
      void task.finally(() => writing.delete(task));
      chunkRows = 0;
      chunkLabelledRows = 0;
    }
    if (failure) throw failure;
  };

  const heartbeat = setInterval(() => {
    pool.query(`UPDATE import_batch SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [importBatchId]).catch((err: Error) => {
      console.warn(`[import] import #${importBatchId}: heartbeat not stored (${err.message})`);
    });
  }, opts.heartbeatMs ?? IMPORT_HEARTBEAT_MS);
  // a heartbeat never keeps a process alive on its own
  heartbeat.unref();
  try {
    for await (const batch of opts.source) {
      for (const parsed of batch) {
        summary.totalRows++;
        if ("error" in parsed) {
          addError({ line: parsed.line, reason: parsed.error });
          continue;
        }
        const mapped = opts.mapRecord(parsed.record);
        if ("reason" in mapped) {
          addError({ line: parsed.line, reason: mapped.reason });
          continue;
        }
        const result = toExcerptRow(mapped.fields);
        if ("reason" in result) {
          addError({ line: parsed.line, reason: result.reason });
          continue;
        }
        if (result.row.externalId !== null) {
          const repeated = duplicates.check(result.row.externalId, result.row.text, result.row.label, parsed.line);
          if (repeated) {
            addError({
              line: parsed.line,
              group: IN_FILE_DUPLICATE,
              reason: `external id "${result.row.externalId.slice(0, 60)}" was already used on line ${repeated.firstLine} with a different text or label; line ${parsed.line} is skipped`,
            });
            continue;
          }
        }
        let categoryId: number | null = null;
        if (result.row.label !== null) {
          const label = resolveLabel(result.row.label);
          if ("reason" in label) {
            addError({ line: parsed.line, reason: label.reason });
            continue;
          }
          categoryId = label.categoryId;
        }
        if (chunkRows === 0) chunkFirstLine = parsed.line;
        chunkLastLine = parsed.line;
        chunk.append(toStageLine(chunkRows++, result.row, categoryId));
        if (categoryId !== null) chunkLabelledRows++;
        if (chunkRows >= chunkSize) await flush();
      }
    }
    await flush();
    await Promise.all(writing);
    if (failure) throw failure;
    summary.skipped = tally.groups();
    if (summary.totalRows === 0) summary.warnings.push("The file has a header but no rows: nothing was imported. Check that it is the file you meant.");
    await pool.query(
      `UPDATE import_batch SET status = 'done', finished_at = now(), total_rows = $2, error_rows = $3,
              inserted_rows = $4, duplicate_rows = $5, labelled_rows = $6, errors = $7::jsonb
        WHERE id = $1`,
      [
        importBatchId,
        summary.totalRows,
        summary.errorRows,
        summary.insertedRows,
        summary.duplicateRows,
        summary.labelledRows,
        JSON.stringify(summary.errors.slice(0, STORED_ERRORS)),
      ],
    );
    return summary;
  } catch (err) {
    await Promise.all(writing);
    const appError =
      err instanceof AppError
        ? err
        : err instanceof UnusableInputError
          ? new AppError("BAD_INPUT", storableMessage(`${err.message}. Nothing was imported from this file.`))
          : new AppError("INTERNAL", `Import stopped: ${(err as Error).message}`);
    // counters other than the committed ones were written by each chunk; record why it stopped, so
    // no batch is ever left "running" (a message quoting a NUL byte once failed to store and left it so)
    const stopped = { line: chunkFirstLine, reason: storableMessage(appError.message) };
    try {
      await markFailed(importBatchId, summary, [...summary.errors.slice(0, STORED_ERRORS - 1), stopped]);
    } catch (storeError) {
      console.error(`[import] import #${importBatchId} failed (${appError.message}); recording the failure with its errors failed too:`, storeError);
      await markFailed(importBatchId, summary, [{ line: chunkFirstLine, reason: "The import stopped; its error could not be stored. See the server log." }]);
    }
    throw Object.assign(appError, { importBatchId });
  } finally {
    clearInterval(heartbeat);
    for (const client of idleClients) client.release();
  }
}
