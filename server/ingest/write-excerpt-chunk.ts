import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { copyLine } from "@/lib/import/copy-text.ts";
import type { TExcerptRow } from "@/lib/import/row.ts";

/** A validated row plus the category its label maps to (null = unlabelled). */
export type TChunkRow = TExcerptRow & { categoryId: number | null };

const STAGE_COLUMNS = "ord, dedup_key, external_id, text, source, game, channel, conversation_id, speaker_id, occurred_at, category_id";

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
 * label, appends the import decision. The import batch counters move in the same transaction, so
 * they always describe exactly what is committed; a failure rolls the whole chunk back.
 */
export async function writeExcerptChunk(opts: {
  client: pg.PoolClient;
  workspaceId: number;
  userId: number;
  importBatchId: number;
  isHeldOut: boolean;
  rows: readonly TChunkRow[];
  progress: TChunkProgress;
  wantIds: boolean;
}): Promise<{ inserted: number; labelled: number; excerptIds: string[] }> {
  const { client, rows } = opts;
  let payload = "";
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    payload += copyLine([
      i,
      r.dedupKey,
      r.externalId,
      r.text,
      r.source,
      r.game,
      r.channel,
      r.conversationId,
      r.speakerId,
      r.occurredAt ? r.occurredAt.toISOString() : null,
      r.categoryId,
    ]);
  }
  await client.query("BEGIN");
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom(`COPY import_stage (${STAGE_COLUMNS}) FROM STDIN`));
      stream.on("finish", resolve);
      stream.on("error", reject);
      stream.end(payload);
    });
    const { rows: result } = await client.query<{ inserted: number; labelled: number; ids: string[] | null }>(
      `WITH ins AS (
         INSERT INTO excerpt (workspace_id, dedup_key, external_id, text, source, game, channel, conversation_id,
                              speaker_id, occurred_at, import_batch_id, current_category_id, held_out)
         SELECT $1, dedup_key, external_id, text, source, game, channel, conversation_id,
                speaker_id, occurred_at, $2, category_id, $3
         FROM import_stage ORDER BY ord
         ON CONFLICT (workspace_id, dedup_key) DO NOTHING
         RETURNING id, current_category_id
       ), labelled AS (
         INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id)
         SELECT $1, id, $4, 'label', 'import', current_category_id FROM ins WHERE current_category_id IS NOT NULL
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM ins)::int AS inserted,
              (SELECT count(*) FROM labelled)::int AS labelled,
              CASE WHEN $5 THEN (SELECT array_agg(id::text ORDER BY id) FROM ins) END AS ids`,
      [opts.workspaceId, opts.importBatchId, opts.isHeldOut, opts.userId, opts.wantIds],
    );
    const { inserted, labelled, ids } = result[0];
    await client.query(
      `UPDATE import_batch
          SET total_rows = $2, error_rows = $3,
              inserted_rows = inserted_rows + $4, labelled_rows = labelled_rows + $5,
              duplicate_rows = duplicate_rows + $6,
              errors = COALESCE($7::jsonb, errors)
        WHERE id = $1`,
      [
        opts.importBatchId,
        opts.progress.totalRows,
        opts.progress.errorRows,
        inserted,
        labelled,
        rows.length - inserted,
        opts.progress.errors === undefined ? null : JSON.stringify(opts.progress.errors),
      ],
    );
    await client.query("COMMIT");
    return { inserted, labelled, excerptIds: ids ?? [] };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}
