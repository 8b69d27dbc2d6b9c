/**
 * npm run import -- <file> [options] — imports a CSV or JSONL file of excerpts.
 *
 *   --workspace <slug>      target workspace (default: the current one)
 *   --format csv|jsonl      default: from the extension (.csv, .tsv, .jsonl, .ndjson)
 *   --map text=comment_text,external_id=id     which column feeds which field
 *   --label-map toxic=harassment,clean=non-toxic  label names → categories (default: same name)
 *   --label-columns toxic,obscene,insult   0/1 columns, one per label (Jigsaw style): the label is
 *                           the first set column, else "clean"
 *   --delimiter ';'         CSV delimiter (default ",", tab for .tsv)
 *   --held-out              gold test data: never used for training
 *   --user <email>          whom imported labels are recorded under (default: the first admin)
 *
 * Bad rows are listed with their line number and skipped; the exit code is 0 whenever the file
 * was processed. It is non-zero only when the file cannot be imported at all (missing file, no
 * text column, unknown workspace, label map naming a missing category).
 */
import "./lib/check-env.ts";
import { existsSync, statSync, createReadStream } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../lib/errors.ts";
import { parseLabelMapArg, type TLabelMap } from "../lib/import/labels.ts";
import { parseMappingArg, type TColumnMapping } from "../lib/import/mapping.ts";
import { ZImportFormat, type TImportFormat } from "../lib/import/types.ts";
import { getPool, closePools } from "../server/db/pool.ts";
import { importExcerpts } from "../server/ingest/import-excerpts.ts";
import { enqueueScoring } from "../server/jobs/enqueue.ts";
import { stopBoss } from "../server/jobs/boss.ts";
import { cli, type TCli, resolveCliUser, resolveCliWorkspace } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const USAGE = "usage: npm run import -- <file> [--workspace <slug>] [--format csv|jsonl] [--map text=col,...] [--label-map label=category,...] [--label-columns col,...] [--delimiter ,] [--held-out] [--user <email>]";
const script: TCli = cli("import", USAGE);
const { log } = script;
const fail: TCli["fail"] = script.fail;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      workspace: { type: "string" },
      format: { type: "string" },
      map: { type: "string" },
      "label-map": { type: "string" },
      "label-columns": { type: "string" },
      delimiter: { type: "string" },
      "held-out": { type: "boolean", default: false },
      user: { type: "string" },
    },
  });
} catch (err) {
  fail((err as Error).message);
}
const { values: args, positionals } = parsed;
if (positionals.length !== 1) fail(positionals.length === 0 ? "name the file to import" : `one file at a time (got ${positionals.length})`);
const file = path.resolve(positionals[0]);
if (!existsSync(file) || !statSync(file).isFile()) fail(`no such file: ${file}`);

const extension = path.extname(file).toLowerCase();
const format: TImportFormat = (() => {
  if (args.format) {
    const f = ZImportFormat.safeParse(args.format);
    if (!f.success) fail(`--format must be csv or jsonl (got "${args.format}")`);
    return f.data;
  }
  if (extension === ".csv" || extension === ".tsv") return "csv";
  if (extension === ".jsonl" || extension === ".ndjson") return "jsonl";
  fail(`cannot tell the format from "${extension || "no extension"}": pass --format csv or --format jsonl`);
})();
const delimiter = args.delimiter === "\\t" || args.delimiter === "tab" ? "\t" : (args.delimiter ?? (extension === ".tsv" ? "\t" : undefined));

let mapping: TColumnMapping = {};
let labelMap: TLabelMap = {};
try {
  if (args.map) mapping = parseMappingArg(args.map);
} catch (err) {
  fail(`--map: ${(err as Error).message}`);
}
try {
  if (args["label-map"]) labelMap = parseLabelMapArg(args["label-map"]);
} catch (err) {
  fail(`--label-map: ${(err as Error).message}`);
}

const database = await openDatabase({ log });
let isBossStarted = false;
try {
  const pool = getPool(database.url);
  const workspace = await resolveCliWorkspace(pool, args.workspace);
  // without --user the import is recorded under the first active admin
  const user =
    (await resolveCliUser(pool, args.user)) ??
    (await pool.query<{ id: number; email: string }>(`SELECT id, email FROM app_user WHERE role = 'admin' AND is_active ORDER BY id LIMIT 1`)).rows[0];
  if (!user) throw new AppError("NOT_FOUND", "No active admin to record the import under: pass --user <email>.");

  log(`${path.basename(file)} (${format}) → workspace "${workspace.slug}" as ${user.email}${args["held-out"] ? ", held out as test data" : ""}`);
  const startedAt = Date.now();
  let lastReport = startedAt;
  let lastEnqueue = 0;
  // Scoring is asked for while the import runs (workers start on the first rows) but at most every
  // few seconds; it is a hint: a failure only delays scoring until the worker's periodic sweep.
  const requestScoring = async (force: boolean) => {
    if (!force && Date.now() - lastEnqueue < 5_000) return;
    lastEnqueue = Date.now();
    isBossStarted = true;
    await enqueueScoring(workspace.id).catch((err: unknown) => log(`could not queue scoring now (${(err as Error).message}); the worker's sweep will pick the rows up`));
  };
  const summary = await importExcerpts({
    workspaceId: workspace.id,
    userId: user.id,
    input: createReadStream(file, { highWaterMark: 256 * 1024 }),
    format,
    filename: path.basename(file),
    mapping,
    labelMap,
    labelColumns: args["label-columns"]?.split(","),
    delimiter,
    heldOut: args["held-out"],
    onProgress: (p) => {
      if (Date.now() - lastReport < 2_000) return;
      lastReport = Date.now();
      log(`${p.totalRows.toLocaleString("en")} rows read, ${p.insertedRows.toLocaleString("en")} imported…`);
    },
    onInserted: () => requestScoring(false),
  });
  if (summary.insertedRows > 0) await requestScoring(true);
  const seconds = (Date.now() - startedAt) / 1000;

  for (const e of summary.errors) console.log(`line ${e.line}: ${e.reason}`);
  if (summary.errorRows > summary.errors.length) console.log(`… and ${summary.errorRows - summary.errors.length} more errors`);
  console.log(
    [
      `import #${summary.importBatchId}: ${summary.totalRows} rows read in ${seconds.toFixed(1)} s`,
      `  imported   ${summary.insertedRows}${summary.labelledRows ? ` (${summary.labelledRows} labelled)` : ""}`,
      `  duplicates ${summary.duplicateRows} (already in the workspace)`,
      `  errors     ${summary.errorRows}${summary.errorRows ? " (listed above with their line numbers)" : ""}`,
    ].join("\n"),
  );
} catch (err) {
  console.error(`[import] ${err instanceof AppError ? err.message : `failed: ${(err as Error).message}`}`);
  process.exitCode = 1;
} finally {
  if (isBossStarted) await stopBoss({ graceful: true, timeoutMs: 5_000 }).catch(() => {});
  await closePools();
  await database.close();
}
