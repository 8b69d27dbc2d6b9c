/**
 * npm run export -- [options] — creates a dataset snapshot and waits for it; prints where it is.
 * Re-running with the same options against the same data gives byte-identical files.
 * The options and their meaning live in the parseCli spec below (`npm run export -- --help`).
 */
import "./lib/check-env.ts";
import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { EXPORT_FORMATS, type TExportFormat, type TSnapshotParamsInput } from "../lib/export/params.ts";
import { AppError } from "../lib/errors.ts";
import { closePools, getPool } from "../server/db/pool.ts";
import { createSnapshot } from "../server/export/create-snapshot.ts";
import { runSnapshotJob } from "../server/export/run-snapshot-job.ts";
import { snapshotDir } from "../server/export/snapshot-paths.ts";
import { parseCli, type TCli, resolveCliUser, resolveCliWorkspace } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

const command = parseCli({
  script: "export",
  usage: "[options]",
  summary:
    "Creates an immutable dataset snapshot of a workspace's labelled excerpts (JSONL, CSV, Parquet, a Hugging Face folder) and prints where it is. " +
    "Every format carries external_id, the row's id in the file it was imported from.",
  options: {
    workspace: { type: "string", value: "<slug>", description: "workspace to export (default: the only one; required when there are several)" },
    user: { type: "string", value: "<email>", description: 'recorded as the snapshot\'s creator (default: none, logged as "cli")' },
    name: { type: "string", value: "<text>", description: "the snapshot's name" },
    rule: { type: "string", value: "latest|majority", description: "label resolution (an adjudicated decision always wins)" },
    split: { type: "string", value: "<train,val,test>", description: "split fractions (default 0.8,0,0.2)" },
    gold: {
      type: "boolean",
      description: 'the gold set (audit slice + rows imported with --held-out) as its own "gold" split; without it held-out rows go to test',
    },
    formats: { type: "string", value: "<list>", description: "jsonl,csv,parquet,hf (default: all)" },
    from: { type: "string", value: "<date>", description: "only excerpts said at or after this time" },
    to: { type: "string", value: "<date>", description: "only excerpts said before this time (exclusive)" },
    sources: { type: "string", value: "text,voice", description: "only these sources" },
    games: { type: "string", value: "<a,b>", description: "only these games" },
    channels: { type: "string", value: "<a,b>", description: "only these channels" },
    categories: { type: "string", value: "<names>", description: "only these categories (label indices follow the taxonomy order)" },
    moderators: { type: "string", value: "<emails>", description: "only these moderators' decisions count" },
    "min-agreeing": { type: "string", value: "<n>", description: "only rows with at least n agreeing moderators" },
    "include-disputed": { type: "boolean", description: "keep tied majority votes (marked disputed)" },
    "max-conversations-per-text": { type: "string", value: "<n>|strict", description: "stock-phrase threshold for split grouping" },
    seed: { type: "string", value: "<text>", description: 'split seed (default "modloop")' },
    out: { type: "string", value: "<dir>", description: "also copy the finished snapshot folder here" },
    params: { type: "string", value: "<file.json>", description: "parameters as JSON (options given as well override it)" },
  },
  examples: [
    "npm run export -- --workspace my-game --formats hf,parquet --out ./snap",
    "npm run export -- --workspace my-game --split 0.8,0.1,0.1 --gold --rule majority",
  ],
});
const { values: args, log } = command;
const fail: TCli["fail"] = command.fail;
const csv = (s: string | undefined) =>
  s
    ?.split(",")
    .map((x) => x.trim())
    .filter(Boolean);

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
    const { rows } = await pool.query<{ id: number; name: string }>(`SELECT id, name FROM category WHERE workspace_id = $1 AND name = ANY($2)`, [
      workspace.id,
      names,
    ]);
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
  if (args.rule) {
    if (args.rule !== "latest" && args.rule !== "majority") fail(`--rule must be latest or majority (got "${args.rule}")`);
    params.labelRule = args.rule as TSnapshotParamsInput["labelRule"];
  }
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
  console.log(
    `snapshot #${snapshot.id}: ${c.rows} rows (${Object.entries(c.bySplit)
      .map(([s, n]) => `${s} ${n}`)
      .join(", ")}) in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  );
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
