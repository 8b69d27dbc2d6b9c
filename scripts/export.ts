/**
 * npm run export -- [options] — creates a dataset snapshot and waits for it; prints where it is.
 *
 *   --workspace <slug>          default: the current workspace
 *   --user <email>              recorded as the snapshot's creator (default: none, logged as "cli")
 *   --name <text>
 *   --rule latest|majority      label resolution (an adjudicated decision always wins)
 *   --split 0.8,0.1,0.1         train,validation,test (default 0.8,0,0.2)
 *   --gold                      the random audit slice as its own "gold" split
 *   --formats jsonl,csv,parquet,hf   (default: all)
 *   --from 2026-01-01 --to 2026-02-01   excerpt time range (to is exclusive)
 *   --sources text,voice --games dota2,cs2 --channels a,b
 *   --categories insult,threat  category names (label indices follow the taxonomy order)
 *   --moderators a@x,b@y        only these moderators' decisions count
 *   --min-agreeing 2            rows with at least this many agreeing moderators
 *   --include-disputed          keep tied majority votes
 *   --max-conversations-per-text 20 | strict   stock-phrase threshold for split grouping
 *   --seed <text>               split seed (default "modloop")
 *   --out <dir>                 also copy the finished snapshot folder here
 *   --params <file.json>        parameters as JSON (flags given as well override it)
 *
 * Re-running with the same options against the same data gives byte-identical files.
 */
import "./lib/check-env.ts";
import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { EXPORT_FORMATS, type TExportFormat, type TSnapshotParamsInput } from "../lib/export/params.ts";
import { AppError } from "../lib/errors.ts";
import { closePools, getPool } from "../server/db/pool.ts";
import { createSnapshot } from "../server/export/create-snapshot.ts";
import { runSnapshotJob } from "../server/export/run-snapshot-job.ts";
import { snapshotDir } from "../server/export/snapshot-paths.ts";
import { cli, type TCli, resolveCliUser, resolveCliWorkspace } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const USAGE =
  "usage: npm run export -- [--workspace slug] [--user email] [--rule latest|majority] [--split 0.8,0.1,0.1] [--gold] [--formats jsonl,csv,parquet,hf] " +
  "[--from date] [--to date] [--sources text,voice] [--games a,b] [--channels a,b] [--categories name,…] [--moderators email,…] [--min-agreeing n] " +
  "[--include-disputed] [--max-conversations-per-text n|strict] [--seed s] [--name text] [--out dir] [--params file.json]";
const script: TCli = cli("export", USAGE);
const { log } = script;
const fail: TCli["fail"] = script.fail;

let parsed;
try {
  parsed = parseArgs({
    options: {
      workspace: { type: "string" },
      user: { type: "string" },
      name: { type: "string" },
      rule: { type: "string" },
      split: { type: "string" },
      gold: { type: "boolean" },
      formats: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      sources: { type: "string" },
      games: { type: "string" },
      channels: { type: "string" },
      categories: { type: "string" },
      moderators: { type: "string" },
      "min-agreeing": { type: "string" },
      "include-disputed": { type: "boolean" },
      "max-conversations-per-text": { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      params: { type: "string" },
    },
  });
} catch (err) {
  fail((err as Error).message);
}
const { values: args } = parsed;
const csv = (s: string | undefined) => s?.split(",").map((x) => x.trim()).filter(Boolean);

const database = await openDatabase({ log });
let exitCode = 0;
try {
  const pool = getPool(database.url);
  const workspace = await resolveCliWorkspace(pool, args.workspace);
  const user = await resolveCliUser(pool, args.user);

  const base = args.params ? (JSON.parse(await readFile(args.params, "utf8")) as TSnapshotParamsInput) : {};
  const filters: NonNullable<TSnapshotParamsInput["filters"]> = { ...base.filters };
  if (args.from) filters.from = args.from;
  if (args.to) filters.to = args.to;
  if (args.sources) filters.sources = csv(args.sources) as ("text" | "voice")[];
  if (args.games) filters.games = csv(args.games);
  if (args.channels) filters.channels = csv(args.channels);
  if (args["min-agreeing"]) filters.minAgreeing = Number(args["min-agreeing"]);
  if (args["include-disputed"]) filters.includeDisputed = true;
  if (args.categories) {
    const names = csv(args.categories)!;
    const { rows } = await pool.query<{ id: number; name: string }>(`SELECT id, name FROM category WHERE workspace_id = $1 AND name = ANY($2)`, [workspace.id, names]);
    const missing = names.filter((n) => !rows.some((r) => r.name === n));
    if (missing.length) throw new AppError("NOT_FOUND", `No category named ${missing.map((m) => `"${m}"`).join(", ")} in "${workspace.slug}".`);
    filters.categoryIds = rows.map((r) => r.id);
  }
  if (args.moderators) {
    const emails = csv(args.moderators)!.map((e) => e.toLowerCase());
    const { rows } = await pool.query<{ id: number; email: string }>(`SELECT id, lower(email) AS email FROM app_user WHERE lower(email) = ANY($1)`, [emails]);
    const missing = emails.filter((e) => !rows.some((r) => r.email === e));
    if (missing.length) throw new AppError("NOT_FOUND", `No user ${missing.join(", ")}.`);
    filters.moderatorIds = rows.map((r) => r.id);
  }
  const params: TSnapshotParamsInput = { ...base, filters };
  if (args.name) params.name = args.name;
  if (args.rule) params.labelRule = args.rule as TSnapshotParamsInput["labelRule"];
  if (args.gold) params.goldSplit = true;
  if (args.seed) params.seed = args.seed;
  if (args.formats) {
    const formats = csv(args.formats)!;
    const bad = formats.filter((f) => !(EXPORT_FORMATS as readonly string[]).includes(f));
    if (bad.length) fail(`--formats: unknown ${bad.join(", ")} (choose from ${EXPORT_FORMATS.join(", ")})`);
    params.formats = formats as TExportFormat[];
  }
  if (args.split) {
    const [train, validation, test] = args.split.split(",").map(Number);
    if ([train, validation, test].some((x) => !Number.isFinite(x))) fail(`--split wants three numbers, train,validation,test (got "${args.split}")`);
    params.split = { train, validation, test };
  }
  const hub = args["max-conversations-per-text"];
  if (hub) params.maxConversationsPerText = hub === "strict" ? null : Number(hub);

  const snapshot = await createSnapshot({ workspaceId: workspace.id, userId: user?.id ?? null, params, run: "none", action: "cli" });
  log(`snapshot #${snapshot.id} of "${workspace.slug}" started`);
  const startedAt = Date.now();
  let lastReport = 0;
  const manifest = await runSnapshotJob({
    snapshotId: snapshot.id,
    onProgress: (p, phase) => {
      if (Date.now() - lastReport < 2_000) return;
      lastReport = Date.now();
      log(`${phase} ${Math.round(p * 100)}%`);
    },
  });
  const dir = snapshotDir(snapshot.id);
  const c = manifest.counts;
  console.log(`snapshot #${snapshot.id}: ${c.rows} rows (${Object.entries(c.bySplit).map(([s, n]) => `${s} ${n}`).join(", ")}) in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  for (const f of manifest.files) console.log(`  ${f.path}  ${f.bytes} bytes  sha256 ${f.sha256}`);
  console.log(`folder: ${dir}`);
  if (args.out) {
    const out = path.resolve(args.out);
    await cp(dir, out, { recursive: true });
    console.log(`copied to: ${out}`);
  }
  if (manifest.params.formats.includes("hf")) {
    console.log(`load it: python -c "from datasets import load_dataset; print(load_dataset('${path.join(args.out ? path.resolve(args.out) : dir, "hf")}'))"`);
  }
} catch (err) {
  exitCode = 1;
  console.error(`[export] ${err instanceof AppError ? err.message : (err as Error).stack}`);
} finally {
  await closePools();
  await database.close();
}
process.exit(exitCode);
