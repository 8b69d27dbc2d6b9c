import type pg from "pg";
import { copyLine } from "@/lib/text/copy-text.ts";
import { copyLinesInto, type TCopyColumn } from "../db/copy-rows.ts";
import { inTransaction } from "../db/transaction.ts";
import type { TExcerptRow } from "@/lib/import/row.ts";

/**
 * One staging-table line (COPY text format) for a validated row. Rows are turned into these flat
 * strings as soon as they are validated: a chunk waiting to be written is then one string, not
 * thousands of objects, which keeps the import's heap (and RSS) flat however large the file.
 */
export function toStageLine(ord: number, row: TExcerptRow, categoryId: number | null): string {
  return copyLine([
    ord,
    row.dedupKey,
    row.externalId,
    row.text,
    row.source,
    row.game,
    row.channel,
    row.conversationId,
    row.speakerId,
    row.occurredAt ? row.occurredAt.toISOString() : null,
    categoryId,
  ]);
}

const STAGE_COLUMNS: readonly TCopyColumn[] = [
  ["ord", "int"],
  ["dedup_key", "text"],
  ["external_id", "text"],
  ["text", "text"],
  ["source", '"ExcerptSource"'],
  ["game", "text"],
  ["channel", "text"],
  ["conversation_id", "text"],
  ["speaker_id", "text"],
  ["occurred_at", "timestamptz"],
  ["category_id", "int"],
];

/**
 * The per-connection staging table COPY writes into. Temporary and emptied at every commit, so
 * it never holds more than one chunk and never outlives the connection.
 */
export async function ensureImportStage(client: pg.PoolClient): Promise<void> {
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS import_stage (
    ord int NOT NULL,
    dedup_key text NOT NULL,
    external_id text,
    text text NOT NULL,
    source "ExcerptSource" NOT NULL,
    game text,
    channel text,
    conversation_id text,
    speaker_id text,
    occurred_at timestamptz,
    category_id int
  ) ON COMMIT DELETE ROWS`);
}

export type TChunkProgress = { totalRows: number; errorRows: number; errors?: unknown };

/**
 * Writes one chunk atomically: COPY into the staging table, then one INSERT … SELECT that skips
 * rows already present (same workspace + dedup key) and, for the rows it did insert that carry a
 * label, appends the import decision. Within a chunk the first row of each dedup key wins; rows
 * go in key order so two chunks written at once take their key locks in the same order. The import
 * batch counters move in the same transaction, so they always describe exactly what is committed;
 * a failure rolls the whole chunk back.
 */
export async function writeExcerptChunk(opts: {
  client: pg.PoolClient;
  workspaceId: number;
  userId: number;
  importBatchId: number;
  isHeldOut: boolean;
  /** toStageLine() lines as UTF-8, `rowCount` of them */
  payload: Buffer;
  rowCount: number;
  /** rows of the chunk that carry a label */
  labelledRowCount: number;
  progress: TChunkProgress;
  wantIds: boolean;
}): Promise<{ inserted: number; labelled: number; excerptIds: string[] }> {
  const { client, payload } = opts;
  return inTransaction(
    async () => {
      await copyLinesInto(client, "import_stage", STAGE_COLUMNS, payload);
      const { rows: result } = await client.query<{ inserted: number; labelled: number; ids: string[] | null }>(
        `WITH ins AS (
         INSERT INTO excerpt (id, workspace_id, dedup_key, external_id, text, source, game, channel, conversation_id,
                              speaker_id, occurred_at, import_batch_id, current_category_id, held_out)
         SELECT id, $1, dedup_key, external_id, text, source, game, channel, conversation_id,
                speaker_id, occurred_at, $2, category_id, $3
         FROM (
           -- ids are drawn in file order (so id order is file order), rows then go in key order
           SELECT nextval('excerpt_id_seq') AS id, in_file_order.*
           FROM (SELECT * FROM (SELECT DISTINCT ON (dedup_key) * FROM import_stage ORDER BY dedup_key, ord) AS first_of_each
                 ORDER BY ord) AS in_file_order
         ) AS numbered
         ORDER BY dedup_key
         ON CONFLICT (workspace_id, dedup_key) DO NOTHING
         RETURNING id, current_category_id
       ), labelled AS (
         INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id)
         SELECT $1, id, $4, 'label', 'import', current_category_id FROM ins WHERE current_category_id IS NOT NULL ORDER BY id
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM ins)::int AS inserted,
              (SELECT count(*) FROM labelled)::int AS labelled,
              CASE WHEN $5 THEN (SELECT array_agg(id::text ORDER BY id) FROM ins) END AS ids`,
        [opts.workspaceId, opts.importBatchId, opts.isHeldOut, opts.userId, opts.wantIds],
      );
      const { inserted, ids } = result[0];
      let { labelled } = result[0];
      // Labelled rows that matched an existing excerpt: label it if nobody has yet (e.g. the ~100
      // labelled examples arriving after the unlabelled chat). Never overrides an existing label.
      // Skipped in the common case, so bulk imports pay nothing for it.
      if (opts.labelledRowCount > labelled) {
        const { rows: relabelled } = await client.query<{ n: number }>(
          `WITH source AS (
           SELECT DISTINCT ON (dedup_key) dedup_key, category_id FROM import_stage
           WHERE category_id IS NOT NULL ORDER BY dedup_key, ord
         ), relabel AS (
           UPDATE excerpt e SET current_category_id = s.category_id
           FROM source s
           WHERE e.workspace_id = $1 AND e.dedup_key = s.dedup_key AND e.current_category_id IS NULL
           RETURNING e.id, e.current_category_id
         ), decided AS (
           INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id)
           SELECT $1, id, $2, 'label', 'import', current_category_id FROM relabel ORDER BY id
           RETURNING 1
         ), closed AS (
           -- a labelled excerpt leaves the review queue, as after a moderator's label
           UPDATE queue_item q SET is_open = false, updated_at = now() FROM relabel r WHERE q.excerpt_id = r.id AND q.is_open
           RETURNING 1
         )
         -- (data-modifying CTEs run whether or not they are read, so "closed" needs no reference)
         SELECT count(*)::int AS n FROM decided`,
          [opts.workspaceId, opts.userId],
        );
        labelled += relabelled[0].n;
      }
      await client.query(
        `UPDATE import_batch
          SET total_rows = GREATEST(total_rows, $2), error_rows = GREATEST(error_rows, $3),
              inserted_rows = inserted_rows + $4, labelled_rows = labelled_rows + $5,
              duplicate_rows = duplicate_rows + $6, heartbeat_at = now(),
              -- failed for silence while this process was frozen (fail-stalled-imports.ts): it is running
              -- again, so it says so, without the stall's message, the one error without a line (only this
              -- process fails it otherwise, and then writes no more chunks); its rows' errors stay
              status = 'running', finished_at = NULL,
              errors = CASE
                WHEN status = 'failed' THEN COALESCE($7::jsonb,
                  (SELECT COALESCE(jsonb_agg(e ORDER BY n), '[]') FROM jsonb_array_elements(errors) WITH ORDINALITY AS x(e, n)
                    WHERE e->'line' IS NOT NULL AND e->'line' <> 'null'::jsonb))
                WHEN jsonb_array_length(COALESCE($7::jsonb, '[]')) > jsonb_array_length(errors) THEN $7::jsonb
                ELSE errors END
        WHERE id = $1`,
        [
          opts.importBatchId,
          opts.progress.totalRows,
          opts.progress.errorRows,
          inserted,
          labelled,
          opts.rowCount - inserted,
          opts.progress.errors === undefined ? null : JSON.stringify(opts.progress.errors),
        ],
      );
      return { inserted, labelled, excerptIds: ids ?? [] };
    },
    // A chunk is not worth an fsync of its own: its rows, its decisions and the batch counters commit or
    // vanish together, so a database crash that loses the last few chunks' commits leaves a consistent
    // batch that a rerun completes (rows already in count as duplicates). Anything committed durably
    // afterwards (the next job's insert, the batch's final "done") flushes the log up to and including
    // these commits, so an import is never reported done before its rows are on disk. Sampled during a
    // 1M-row import at 10M excerpts, the writers waited on log flushes in about an eighth of the samples.
    { client, settings: { synchronous_commit: "off" } },
  );
}
