import { createReadStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { datasetCard, hfSplitFile, labelNamesFile } from "@/lib/export/card.ts";
import { LineSplitter } from "@/lib/text/line-splitter.ts";
import { csvHeader, csvTemplate, hfJsonlLine, indexTemplate, jsonlTemplate, parseSpoolLine, SPLIT_MARK, spoolLine } from "@/lib/export/formats.ts";
import { CountsAccumulator, splitsFor, type TSnapshotFile, type TSnapshotManifest, type TTaxonomyEntry } from "@/lib/export/manifest.ts";
import { normaliseText } from "@/lib/export/normalise.ts";
import { parseSnapshotParams, SPLIT_NAMES, type TSnapshotParams, type TSplitName } from "@/lib/export/params.ts";
import { createParquetStream } from "@/lib/export/parquet.ts";
import { resolveLabel } from "@/lib/export/resolve-label.ts";
import type { TExportRow } from "@/lib/export/row.ts";
import { SplitPlanner, splitName } from "@/lib/export/split.ts";
import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";
import { HashingFileWriter } from "./hashing-file-writer.ts";
import { hasConcurrentSessions } from "../db/embedded.ts";
import { inTransaction } from "../db/transaction.ts";
import { readLabelledRows } from "./read-labelled-rows.ts";
import { snapshotDir } from "./snapshot-paths.ts";

export type TRunSnapshotJobOptions = {
  snapshotId: number;
  /** called with 0 … 1 as rows are read and written (also stored on the snapshot row) */
  onProgress?: (progress: number, phase: string) => void;
};

type TSnapshotRow = {
  id: number;
  workspace_id: number;
  status: string;
  params: unknown;
  created_at: Date;
  created_by_id: number | null;
  slug: string;
  email: string | null;
};

// rows per Parquet row group: the writer holds one group's columns and encodings in memory at a time
const CSV_RECORD_END = "\u0000\u0000";
type TSpoolKind = "index" | "jsonl" | "csv" | "hf" | "parquet";

const PARQUET_BATCH = 16_384;
const PROGRESS_EVERY_MS = 500;

/**
 * Builds a snapshot's files: reads labelled excerpts through a cursor in one consistent view, resolves
 * labels, plans leak-free splits (pass 1, rows spooled to disk), then writes every format in one more
 * pass over the spool. Memory holds typed arrays for the split plan and one batch of rows, not the
 * data set. Safe to re-run after a crash: it starts over in a fresh temporary folder and only a
 * finished folder is renamed into place. Designed to run anywhere (in the web process now, in a
 * pg-boss worker later): its only input is the snapshot id.
 */
export async function runSnapshotJob(opts: TRunSnapshotJobOptions): Promise<TSnapshotManifest> {
  const pool = getPool();
  const { rows } = await pool.query<TSnapshotRow>(
    `SELECT s.id, s.workspace_id, s.status, s.params, s.created_at, s.created_by_id, w.slug, u.email
     FROM dataset_snapshot s JOIN workspace w ON w.id = s.workspace_id LEFT JOIN app_user u ON u.id = s.created_by_id
     WHERE s.id = $1`,
    [opts.snapshotId],
  );
  const snap = rows[0];
  if (!snap) throw new AppError("NOT_FOUND", `Snapshot ${opts.snapshotId} does not exist.`);
  if (snap.status === "done") throw new AppError("CONFLICT", `Snapshot ${snap.id} is already finished; snapshots are immutable.`);
  const params = parseSnapshotParams(snap.params);

  let lastProgressAt = 0;
  const progress = async (value: number, phase: string, force = false) => {
    opts.onProgress?.(value, phase);
    if (!force && Date.now() - lastProgressAt < PROGRESS_EVERY_MS) return;
    lastProgressAt = Date.now();
    await pool.query(`UPDATE dataset_snapshot SET progress = $2, phase = $3 WHERE id = $1`, [snap.id, Math.min(value, 0.999), phase]);
  };

  await pool.query(`UPDATE dataset_snapshot SET status = 'running', started_at = now(), progress = 0, phase = 'reading', error = NULL WHERE id = $1`, [
    snap.id,
  ]);
  const finalDir = snapshotDir(snap.id);
  const workDir = `${finalDir}.tmp-${process.pid}`;
  try {
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    const built = await buildFiles({ snap, params, workDir, progress });
    const manifest: TSnapshotManifest = {
      schemaVersion: 1,
      snapshotId: snap.id,
      workspace: { id: snap.workspace_id, slug: snap.slug },
      createdAt: snap.created_at.toISOString(),
      createdBy: snap.created_by_id !== null ? { id: snap.created_by_id, email: snap.email ?? "" } : null,
      params,
      taxonomy: built.taxonomy,
      labelNames: built.taxonomy.map((t) => t.name),
      counts: built.counts,
      files: built.files,
    };
    await writeFile(path.join(workDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(finalDir, { recursive: true, force: true });
    await rename(workDir, finalDir);
    await pool.query(
      `UPDATE dataset_snapshot SET status = 'done', progress = 1, phase = 'done', row_count = $2, counts = $3, files = $4,
              taxonomy = $5, finished_at = now() WHERE id = $1`,
      [snap.id, built.counts.rows, JSON.stringify(built.counts), JSON.stringify(built.files), JSON.stringify(built.taxonomy)],
    );
    return manifest;
  } catch (err) {
    await rm(workDir, { recursive: true, force: true }).catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    await pool
      .query(`UPDATE dataset_snapshot SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [snap.id, message.slice(0, 2000)])
      .catch(() => {});
    throw err;
  }
}

async function buildFiles(ctx: {
  snap: TSnapshotRow;
  params: TSnapshotParams;
  workDir: string;
  progress: (value: number, phase: string, force?: boolean) => Promise<void>;
}): Promise<{ taxonomy: TTaxonomyEntry[]; counts: ReturnType<CountsAccumulator["result"]>; files: TSnapshotFile[] }> {
  const { snap, params, workDir, progress } = ctx;
  const pool = getPool();
  const client = await pool.connect();
  // Pass 1 formats every row once into a spool per output, with the split left open (SPLIT_MARK);
  // pass 2 only fills in the split, so no row is parsed or formatted twice.
  const formats = new Set(params.formats);
  const spoolKinds: TSpoolKind[] = ["index", ...(["jsonl", "csv", "hf", "parquet"] as const).filter((f) => formats.has(f))];
  const spools = new Map(spoolKinds.map((k) => [k, new HashingFileWriter(path.join(workDir, `.${k}.spool`), `.${k}.spool`)]));
  const closeSpools = () => {
    for (const w of spools.values()) w.close();
  };
  const counts = new CountsAccumulator();
  const planner = new SplitPlanner({ ratios: params.split, seed: params.seed, maxConversationsPerText: params.maxConversationsPerText ?? Infinity });
  let taxonomy: TTaxonomyEntry[] = [];
  // where another connection would wait for this transaction (embedded): no progress writes until it ends
  const canWriteProgress = hasConcurrentSessions();
  // One snapshot of the data for the taxonomy, the model versions and every row.
  await inTransaction(
    async () => {
      const cats = await client.query<{ id: number; name: string; description: string; is_non_toxic: boolean; is_active: boolean }>(
        `SELECT id, name, description, is_non_toxic, is_active FROM category WHERE workspace_id = $1 ORDER BY sort_order, id`,
        [snap.workspace_id],
      );
      const wanted = params.filters.categoryIds?.length ? new Set(params.filters.categoryIds) : null;
      taxonomy = cats.rows
        .filter((c) => !wanted || wanted.has(c.id))
        .map((c, index) => ({ id: c.id, index, name: c.name, description: c.description, isNonToxic: c.is_non_toxic, isActive: c.is_active }));
      if (taxonomy.length === 0) throw new AppError("VALIDATION", "No categories match the snapshot's category filter; pick at least one existing category.");
      const byCategory = new Map(taxonomy.map((t) => [t.id, t]));
      const versions = await client.query<{ id: number; version: string }>(`SELECT id, version FROM model_version WHERE workspace_id = $1`, [
        snap.workspace_id,
      ]);
      const categoryName = new Map(cats.rows.map((c) => [c.id, c.name]));
      const versionName = new Map(versions.rows.map((v) => [v.id, v.version]));
      const estimate = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM excerpt WHERE workspace_id = $1 AND current_category_id IS NOT NULL`, [
        snap.workspace_id,
      ]);
      const expected = Math.max(estimate.rows[0].n, 1);

      let read = 0;
      for await (const batch of readLabelledRows(client, { workspaceId: snap.workspace_id, filters: params.filters })) {
        for (const e of batch) {
          const label = resolveLabel(e.decisions, { rule: params.labelRule, moderatorIds: params.filters.moderatorIds });
          if (!label) continue;
          const category = byCategory.get(label.categoryId);
          if (!category) continue;
          if (label.agreeing < params.filters.minAgreeing) continue;
          if (label.isDisputed && !params.filters.includeDisputed) continue;
          const d = label.decision;
          const row: TExportRow = {
            id: e.id,
            externalId: e.externalId,
            text: e.text,
            label: category.name,
            labelIndex: category.index,
            split: "train",
            source: e.source,
            game: e.game,
            channel: e.channel,
            conversationId: e.conversationId,
            speakerId: e.speakerId,
            occurredAt: e.occurredAt,
            decisionCount: label.votes,
            agreeing: label.agreeing,
            agreement: label.agreement,
            isDisputed: label.isDisputed,
            isAudit: label.isAudit,
            labelMethod: label.method,
            modelVersion: d.modelVersionId !== null ? (versionName.get(d.modelVersionId) ?? String(d.modelVersionId)) : null,
            modelSuggestion: d.suggestedCategoryId !== null ? (categoryName.get(d.suggestedCategoryId) ?? null) : null,
            modelScore: d.suggestedConfidence,
            toxicScore: d.toxicScore,
          };
          // Imported held-out rows are never trained on. With a gold split, the split is the app's gold set
          // (lib/evaluation: held-out imports plus audit-slice labels), so a model evaluated outside the
          // app is measured on the same rows as in it; without one, held-out rows go to test.
          const forced: TSplitName | null = params.goldSplit && (label.isAudit || e.heldOut) ? "gold" : e.heldOut ? "test" : null;
          planner.add({ key: e.id, conversation: e.conversationId, normalisedText: normaliseText(e.text), stratum: category.index, forced });
          counts.addStats(row);
          spools.get("index")!.write(indexTemplate(row));
          spools.get("jsonl")?.write(jsonlTemplate(row));
          // CSV cells may hold raw newlines: its records end in two NULs (PostgreSQL text can hold none)
          spools.get("csv")?.write(`${csvTemplate(row)}${CSV_RECORD_END}`);
          spools.get("hf")?.write(hfJsonlLine(row));
          spools.get("parquet")?.write(spoolLine(row));
        }
        read += batch.length;
        if (canWriteProgress) await progress((0.6 * read) / Math.max(expected, read), "reading");
      }
    },
    { client, isolation: "repeatable read", isReadOnly: true },
  )
    .catch((err: unknown) => {
      closeSpools();
      throw err;
    })
    .finally(() => client.release());
  closeSpools();

  await progress(0.6, "splitting", true);
  const splits = planner.finish();
  const total = splits.length;
  const perSplit = new Map<TSplitName, number>();
  for (const s of splits) perSplit.set(splitName(s), (perSplit.get(splitName(s)) ?? 0) + 1);
  const plannedSplits = splitsFor(params);
  const splitsInFiles = SPLIT_NAMES.filter((s) => plannedSplits.includes(s) || (perSplit.get(s) ?? 0) > 0);

  // split × label counts straight from the plan (row i has label index strata[i])
  const strata = planner.strata();
  const perSplitLabel = new Map<string, number>();
  for (let r = 0; r < total; r++) {
    const key = `${splits[r]}:${strata[r]}`;
    perSplitLabel.set(key, (perSplitLabel.get(key) ?? 0) + 1);
  }
  for (const [key, n] of perSplitLabel) {
    const [s, l] = key.split(":").map(Number);
    counts.addSplit(splitName(s), taxonomy[l].name, n);
  }

  // pass 2: one streaming read per spool, filling in each row's split (row order = excerpt id order)
  const open = (rel: string) => new HashingFileWriter(path.join(workDir, rel), rel);
  const splitNames = SPLIT_NAMES.map((s) => s as string);
  const files: TSnapshotFile[] = [];
  let written = 0;
  const replay = async (kind: TSpoolKind, onLine: (line: string, split: number) => void) => {
    const spoolPath = path.join(workDir, `.${kind}.spool`);
    const splitter = new LineSplitter(kind === "csv" ? CSV_RECORD_END : "\n");
    let i = 0;
    const take = (line: string) => {
      if (!line) return;
      if (i >= total) throw new Error(`snapshot ${kind} spool holds more rows than the split plan (${total}); retry the snapshot`);
      onLine(line, splits[i++]);
    };
    for await (const chunk of createReadStream(spoolPath, { encoding: "utf8", highWaterMark: 1 << 20 })) {
      for (const line of splitter.push(chunk as string)) take(line);
      written += chunk.length;
      await progress(0.6 + 0.4 * Math.min(written / Math.max(spoolBytes, 1), 1), "writing");
    }
    for (const line of splitter.end()) take(line);
    if (i !== total) throw new Error(`snapshot ${kind} spool holds ${i} rows but the split plan has ${total}; retry the snapshot`);
    await rm(spoolPath, { force: true });
  };
  const spoolBytes = [...spools.values()].reduce((n, w) => n + w.bytesWritten, 0);
  // the template lines end in "\n", which the line splitter removes
  const fillInto = (w: HashingFileWriter, end: string) => (line: string, split: number) => {
    const at = line.indexOf(SPLIT_MARK);
    w.write(line.slice(0, at));
    w.write(splitNames[split]);
    w.write(line.slice(at + 1));
    w.write(end);
  };

  const index = open("index.tsv");
  await replay("index", fillInto(index, "\n"));
  files.push(index.close());
  if (formats.has("jsonl")) {
    const w = open("dataset.jsonl");
    await replay("jsonl", fillInto(w, "\n"));
    files.push(w.close());
  }
  if (formats.has("csv")) {
    const w = open("dataset.csv");
    w.write(csvHeader());
    // the CSV template keeps its own \r\n
    await replay("csv", fillInto(w, ""));
    files.push(w.close());
  }
  if (formats.has("hf")) {
    await mkdir(path.join(workDir, "hf"), { recursive: true });
    const hf = new Map<number, HashingFileWriter>();
    for (const s of splitsInFiles) if ((perSplit.get(s) ?? 0) > 0) hf.set(SPLIT_NAMES.indexOf(s), open(`hf/${hfSplitFile(s)}`));
    await replay("hf", (line, split) => {
      const w = hf.get(split)!;
      w.write(line);
      w.write("\n");
    });
    for (const w of hf.values()) files.push(w.close());
  }
  if (formats.has("parquet")) {
    const w = open("dataset.parquet");
    const parquet = createParquetStream((chunk) => w.write(chunk), { rowGroupSize: PARQUET_BATCH });
    let batch: TExportRow[] = [];
    await replay("parquet", (line, split) => {
      batch.push(parseSpoolLine(line, splitName(split)));
      if (batch.length === PARQUET_BATCH) {
        parquet.writeRows(batch);
        batch = [];
      }
    });
    parquet.writeRows(batch);
    parquet.finish();
    files.push(w.close());
  }

  const labelNames = taxonomy.map((t) => t.name);
  const result = counts.result(labelNames, splitsInFiles, planner.getStats());
  if (formats.has("hf")) {
    const card = open("hf/README.md");
    card.write(datasetCard({ workspaceSlug: snap.slug, params, taxonomy, counts: result, splits: splitsInFiles }));
    files.push(card.close());
    const names = open("hf/label_names.txt");
    names.write(labelNamesFile(taxonomy));
    files.push(names.close());
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { taxonomy, counts: result, files };
}
