/**
 * npm run import -- <file> [options] — imports a CSV or JSONL file of excerpts into a workspace.
 * The options and their meaning live in the parseCli spec below (`npm run import -- --help` prints them).
 *
 * Bad rows are skipped and printed grouped by reason with their line numbers. Exit codes: 0 when every
 * row was imported (or skipped as already present), 1 when rows were rejected (more than --max-errors
 * allows) or the file could not be imported at all, 2 for a mistake on the command line.
 */
import "./lib/check-env.ts";
import { existsSync, statSync, createReadStream } from "node:fs";
import path from "node:path";
import { AppError } from "../lib/errors.ts";
import { parseLabelMapArg, type TLabelMap } from "../lib/import/labels.ts";
import { parseMappingArg, type TColumnMapping } from "../lib/import/mapping.ts";
import { formatSkippedGroups } from "../lib/import/skipped.ts";
import { ZImportFormat, type TImportFormat } from "../lib/import/types.ts";
import { getPool, closePools } from "../server/db/pool.ts";
import { importExcerpts } from "../server/ingest/import-excerpts.ts";
import { enqueueScoring } from "../server/jobs/enqueue.ts";
import { stopBoss } from "../server/jobs/boss.ts";
import { parseCli, resolveCliUser, resolveCliWorkspace, type TCli } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const command = parseCli({
  script: "import",
  usage: "<file> [options]",
  summary: "Imports a CSV or JSONL file of excerpts (chat lines, transcripts), with or without labels, into a workspace.",
  maxPositionals: 1,
  positionals: { "<file>": "the .csv, .tsv, .jsonl or .ndjson file to import" },
  options: {
    workspace: { type: "string", value: "<slug>", description: "target workspace (default: the only one; required when there are several)" },
    format: { type: "string", value: "csv|jsonl", description: "file format (default: from the extension)" },
    map: { type: "string", value: "field=column,…", description: "which column feeds which field, e.g. text=comment_text,external_id=id" },
    "label-map": { type: "string", value: "label=category,…", description: "file labels → category names (default: same name, case-insensitive)" },
    "label-columns": { type: "string", value: "col,…", description: '0/1 columns, one per label (Jigsaw style); the label is the first set one, else "clean"' },
    delimiter: { type: "string", value: "<char>", description: 'CSV delimiter (default ","; "tab" for tabs; tab for .tsv)' },
    "held-out": { type: "boolean", description: "gold test data: evaluated on, never trained on" },
    user: { type: "string", value: "<email>", description: "whom imported labels are recorded under (default: the first admin)" },
    "max-errors": { type: "string", value: "<n>", description: "exit 0 even with up to n rejected rows (default 0: any rejected row exits 1)" },
  },
  examples: [
    "npm run import -- chat.csv --workspace my-game",
    "npm run import -- labelled.csv --workspace my-game --map text=tweet --label-map 0=hate,1=offensive,2=non-toxic --max-errors 10",
    "npm run import -- gold.jsonl --workspace my-game --held-out",
  ],
});
const { values: args, positionals, log } = command;
const fail: TCli["fail"] = command.fail;
if (positionals.length === 0) fail("name the file to import");
const maxErrors = args["max-errors"] === undefined ? 0 : Number(args["max-errors"]);
if (!Number.isInteger(maxErrors) || maxErrors < 0) fail(`--max-errors must be a whole number of rows, 0 or more (got "${args["max-errors"]}")`);
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
  const workspace = await resolveCliWorkspace(pool, args.workspace, { isWrite: true });
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
    await enqueueScoring(workspace.id).catch((err: unknown) =>
      log(`could not queue scoring now (${(err as Error).message}); the worker's sweep will pick the rows up`),
    );
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

  if (summary.skipped.length > 0) {
    console.log(`skipped rows, by reason:`);
    for (const block of formatSkippedGroups(summary.skipped)) console.log(block);
  }
  for (const warning of summary.warnings) console.log(`warning: ${warning}`);
  console.log(
    [
      `import #${summary.importBatchId}: ${summary.totalRows} rows read in ${seconds.toFixed(1)} s`,
      `  imported   ${summary.insertedRows}${summary.labelledRows ? ` (${summary.labelledRows} labelled)` : ""}`,
      `  duplicates ${summary.duplicateRows} (already in the workspace or earlier in the file, identical)`,
      `  skipped    ${summary.errorRows}${summary.errorRows ? " (grouped above with their line numbers)" : ""}`,
    ].join("\n"),
  );
  if (summary.errorRows > maxErrors) {
    log(
      `${summary.errorRows} row${summary.errorRows === 1 ? " was" : "s were"} rejected${maxErrors > 0 ? ` (--max-errors allows ${maxErrors})` : ""}. ` +
        `Fix ${summary.errorRows === 1 ? "it" : "them"} and import the file again (rows already imported are skipped as duplicates), ` +
        `or accept the loss with --max-errors ${summary.errorRows}.`,
    );
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`[import] ${err instanceof AppError ? err.message : `failed: ${(err as Error).message}`}`);
  process.exitCode = 1;
} finally {
  if (isBossStarted) await stopBoss({ graceful: true, timeoutMs: 5_000 }).catch(() => {});
  await closePools();
  await database.close();
}
