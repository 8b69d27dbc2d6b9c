import { beforeEach, describe, expect, it } from "vitest";
import type { TParsedRow } from "@/lib/import/lines.ts";
import { getPool } from "../db/pool.ts";
import { failStalledImports, STALLED_IMPORT_AFTER_S } from "./fail-stalled-imports.ts";
import { getImportBatch } from "./get-import-batch.ts";
import { createTestWorkspace, setUpImportTestDatabase } from "./ingest-test-setup.ts";
import { listImportBatches } from "./list-import-batches.ts";
import { runImport, STORED_ERRORS } from "./run-import.ts";

const db = setUpImportTestDatabase();
let userId: number;
let workspaceId: number;

beforeEach(async () => {
  userId = db.userId();
  workspaceId = await createTestWorkspace();
});

/** A batch as a killed importer leaves it: running, with counters from its committed chunks, silent for `silentS`. */
async function batchLeftRunning(opts: { workspaceId: number; silentS: number; errors?: unknown[] }): Promise<number> {
  const { rows } = await getPool().query<{ id: number }>(
    `INSERT INTO import_batch (workspace_id, user_id, filename, format, status, total_rows, inserted_rows, errors, heartbeat_at)
     VALUES ($1, $2, 'chat.csv', 'csv', 'running', 190000, 190000, $3::jsonb, now() - make_interval(secs => $4)) RETURNING id`,
    [opts.workspaceId, userId, JSON.stringify(opts.errors ?? [{ line: 7, reason: "bad date" }]), opts.silentS],
  );
  return rows[0].id;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("failStalledImports: a batch whose process died does not stay running", () => {
  it("fails a silent running batch when the workspace's imports are read, keeping its errors and saying how to finish it", async () => {
    const id = await batchLeftRunning({ workspaceId, silentS: STALLED_IMPORT_AFTER_S + 5 });
    const [batch] = await listImportBatches({ workspaceId });
    expect(batch).toMatchObject({ id, status: "failed", insertedRows: 190000 });
    expect(batch.errors).toHaveLength(2);
    expect(batch.errors[0]).toEqual({ line: 7, reason: "bad date" });
    expect(batch.errors[1].line).toBeNull();
    expect(batch.errors[1].reason).toMatch(/stopped before it finished.*190,000 rows it committed are kept; import the same file again/);
    // it finished when it was last alive, not when somebody looked
    const { rows } = await getPool().query(`SELECT finished_at = heartbeat_at AS same FROM import_batch WHERE id = $1`, [id]);
    expect(rows[0].same).toBe(true);
    // once: a second read changes nothing
    expect(await failStalledImports({ workspaceId })).toBe(0);
    expect((await getImportBatch({ workspaceId, importBatchId: id })).errors).toHaveLength(2);
  });

  it("a batch's own status read fails it too", async () => {
    const id = await batchLeftRunning({ workspaceId, silentS: STALLED_IMPORT_AFTER_S + 5 });
    expect((await getImportBatch({ workspaceId, importBatchId: id })).status).toBe("failed");
  });

  it("leaves a batch alone while its heartbeat is recent, and other workspaces' batches to their own reads", async () => {
    const alive = await batchLeftRunning({ workspaceId, silentS: STALLED_IMPORT_AFTER_S - 30 });
    const otherWorkspace = await createTestWorkspace();
    const elsewhere = await batchLeftRunning({ workspaceId: otherWorkspace, silentS: STALLED_IMPORT_AFTER_S + 5 });
    expect(await failStalledImports({ workspaceId })).toBe(0);
    expect((await getImportBatch({ workspaceId, importBatchId: alive })).status).toBe("running");
    const { rows } = await getPool().query(`SELECT status FROM import_batch WHERE id = $1`, [elsewhere]);
    expect(rows[0].status).toBe("running");
  });

  it("with the stored errors full, the reason it stopped replaces the last one (never more than are kept)", async () => {
    const errors = Array.from({ length: STORED_ERRORS }, (_, i) => ({ line: i + 2, reason: "bad date" }));
    const id = await batchLeftRunning({ workspaceId, silentS: STALLED_IMPORT_AFTER_S + 5, errors });
    const batch = await getImportBatch({ workspaceId, importBatchId: id });
    expect(batch.errors).toHaveLength(STORED_ERRORS);
    expect(batch.errors[STORED_ERRORS - 2]).toEqual({ line: STORED_ERRORS, reason: "bad date" });
    expect(batch.errors[STORED_ERRORS - 1].reason).toMatch(/stopped before it finished/);
  });
});

describe("runImport keeps its batch's heartbeat while it runs", () => {
  const row = (line: number): TParsedRow => ({ line, record: { text: `line ${line}` } });
  const latestBatch = async () => {
    const { rows } = await getPool().query<{ id: number; inserted_rows: number; age_s: number }>(
      `SELECT id, inserted_rows, extract(epoch FROM now() - heartbeat_at)::float8 AS age_s FROM import_batch WHERE workspace_id = $1 ORDER BY id DESC LIMIT 1`,
      [workspaceId],
    );
    return rows[0];
  };
  /** waits until the batch's committed chunks hold `n` rows (chunks are written while the source goes on) */
  const untilInserted = async (n: number) => {
    for (let i = 0; i < 400; i++) {
      if ((await latestBatch()).inserted_rows >= n) return;
      await wait(25);
    }
    throw new Error(`the import's chunks never reached ${n} rows`);
  };
  const silence = () => getPool().query(`UPDATE import_batch SET heartbeat_at = now() - interval '1 hour' WHERE workspace_id = $1`, [workspaceId]);
  const run = (source: AsyncIterable<TParsedRow[]>, heartbeatMs: number) =>
    runImport({
      workspaceId,
      userId,
      filename: "slow.jsonl",
      format: "json",
      batchOptions: {},
      source,
      chunkSize: 1,
      writers: 1,
      heartbeatMs,
      mapRecord: (record) => ({ fields: { text: record.text } }),
    });

  it("touches heartbeat_at on a timer while the file is slow to arrive, and stops when the import ends", async () => {
    let ageWhileStalled = Number.NaN;
    async function* source(): AsyncGenerator<TParsedRow[]> {
      yield [row(1)];
      await untilInserted(1);
      // the file stalls (a slow upload) after the last chunk committed: only the timer can beat
      await silence();
      await wait(600);
      ageWhileStalled = (await latestBatch()).age_s;
      yield [row(2)];
    }
    const summary = await run(source(), 150);
    expect(summary.insertedRows).toBe(2);
    expect(ageWhileStalled).toBeLessThan(1);
    // a finished batch is never touched again
    await silence();
    await wait(400);
    expect((await latestBatch()).age_s).toBeGreaterThan(3000);
    expect((await getImportBatch({ workspaceId, importBatchId: summary.importBatchId })).status).toBe("done");
  });

  it("beats with every chunk it commits", async () => {
    let ageAfterChunk = Number.NaN;
    async function* source(): AsyncGenerator<TParsedRow[]> {
      yield [row(1)];
      await untilInserted(1);
      await silence();
      yield [row(2)];
      await untilInserted(2);
      ageAfterChunk = (await latestBatch()).age_s;
    }
    // the timer too slow to matter here
    await run(source(), 3_600_000);
    expect(ageAfterChunk).toBeLessThan(1);
  });

  it("a batch failed while its process was frozen reads as running again with its next chunk, and finishes as done", async () => {
    const status = async () => {
      const { rows } = await getPool().query<{ status: string; finished_at: Date | null; errors: unknown[] }>(
        `SELECT status, finished_at, errors FROM import_batch WHERE workspace_id = $1`,
        [workspaceId],
      );
      return rows[0];
    };
    async function* source(): AsyncGenerator<TParsedRow[]> {
      yield [{ line: 1, error: "not JSON" }, row(2)];
      await untilInserted(1);
      // as if this process had been frozen past the limit and a reader failed its batch meanwhile
      await getPool().query(`UPDATE import_batch SET heartbeat_at = now() - make_interval(secs => $2) WHERE workspace_id = $1`, [
        workspaceId,
        STALLED_IMPORT_AFTER_S + 5,
      ]);
      expect(await failStalledImports({ workspaceId })).toBe(1);
      expect(await status()).toMatchObject({
        status: "failed",
        errors: [expect.objectContaining({ line: 1 }), expect.objectContaining({ line: null })],
      });
      yield [row(3)];
      await untilInserted(2);
      // the process goes on: its batch says so, without the stall's message, keeping its rows' errors
      expect(await status()).toMatchObject({ status: "running", finished_at: null, errors: [expect.objectContaining({ line: 1 })] });
      yield [row(4)];
    }
    const summary = await run(source(), 3_600_000);
    const batch = await getImportBatch({ workspaceId, importBatchId: summary.importBatchId });
    expect(batch).toMatchObject({ status: "done", insertedRows: 3, errorRows: 1, errors: [expect.objectContaining({ line: 1 })] });
  });
});
