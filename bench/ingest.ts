/**
 * Ingest benchmark: generates a realistic game-chat CSV (1,000,000 rows; BENCH_SIZE=small → 20,000),
 * imports it with importExcerpts into a fresh PostgreSQL database (migrated: every index the app
 * has, GIN text search and the dedup unique index included), checks what landed, drops the database
 * and writes bench/results/ingest.json.
 *
 * The import runs in a child process so `peak_rss_mb` is the importing process alone (its maxRSS),
 * not the generator's. Targets: rows_per_s ≥ 20,000, peak_rss_mb ≤ 300.
 *
 *   npx tsx bench/ingest.ts [--rows N] [--chunk N]        BENCH_SIZE=small for CI
 */
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    rows: { type: "string" },
    chunk: { type: "string" },
    writers: { type: "string" },
    child: { type: "string" },
    "keep-db": { type: "boolean", default: false },
  },
});

// ---------- child: the importing process ----------
if (args.child) {
  const { importExcerpts } = await import("../server/ingest/import-excerpts.ts");
  const { closePools } = await import("../server/db/pool.ts");
  const { workspaceId, userId, chunkSize, writers } = JSON.parse(process.env.BENCH_INGEST_CONTEXT ?? "{}");
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  const totalRows = Number(process.env.BENCH_INGEST_ROWS ?? 0);
  // RSS as the import advances: flat from 10 % to 100 % is what "constant memory" means
  const rssAt: Record<string, number> = {};
  const marks = [0.1, 0.25, 0.5, 0.75, 1];
  const summary = await importExcerpts({
    workspaceId,
    userId,
    input: createReadStream(args.child, { highWaterMark: 256 * 1024 }),
    format: "csv",
    filename: path.basename(args.child),
    labelMap: { toxic: "harassment", clean: "non-toxic" },
    chunkSize,
    writers,
    onProgress: (p) => {
      while (marks.length > 0 && totalRows > 0 && p.totalRows >= marks[0] * totalRows * 0.995) {
        rssAt[`${Math.round((marks.shift() as number) * 100)}%`] = Math.round(process.memoryUsage().rss / 1048576);
      }
    },
  });
  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  // CPU the PostgreSQL backends of this import used (local server only): with the machine shared,
  // CPU seconds per row say more about the code than wall time does.
  let pgCpuSeconds: number | null = null;
  try {
    const { getPool } = await import("../server/db/pool.ts");
    const { rows: backends } = await getPool().query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
    const ticksPerSecond = 100;
    pgCpuSeconds = 0;
    for (const { pid } of backends) {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      pgCpuSeconds += (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    }
  } catch {
    pgCpuSeconds = null;
  }
  await closePools();
  const { errors, ...counts } = summary;
  process.stdout.write(
    JSON.stringify({
      ...counts,
      firstErrors: errors.slice(0, 3),
      seconds,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      importerCpuSeconds: (cpu.user + cpu.system) / 1e6,
      rssAt,
      pgCpuSeconds,
    }) + "\n",
  );
  process.exit(0);
}

// ---------- parent: generate, set up, run, check, report ----------
const isSmall = process.env.BENCH_SIZE === "small";
const rows = Number(args.rows ?? (isSmall ? 20_000 : 1_000_000));
const chunkSize = args.chunk ? Number(args.chunk) : undefined;
const writers = args.writers ? Number(args.writers) : undefined;

/** Deterministic PRNG (mulberry32) so every run imports the same file. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "gg ez wp glhf noob mid top bot push gank rotate ward smoke rosh baron dragon tower lane jungle carry support " +
  "heal ult cooldown report feed afk lag ping throw int clutch ace nice shot lol lmao bro pls why team enemy " +
  "go b back wait buy sell item boots rush defend base spawn respawn headshot sniper flank rush mid open close"
).split(" ");
const INSULTS = ["trash", "idiot", "uninstall", "braindead", "loser", "garbage", "clown", "dogwater"];
const EMOJI = ["😂", "🔥", "💀", "😡", "🎮", "👍"];
const GAMES = ["Dota 2", "Valorant", "League of Legends", "Counter-Strike 2", "Rocket League"];
const CHANNELS = ["all", "team", "party", "voice-lobby"];

function message(r: () => number): string {
  const n = 2 + Math.floor(r() * 14);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(r() < 0.08 ? INSULTS[Math.floor(r() * INSULTS.length)] : WORDS[Math.floor(r() * WORDS.length)]);
  let text = words.join(" ");
  const x = r();
  if (x < 0.05) text += ` ${EMOJI[Math.floor(r() * EMOJI.length)]}`;
  else if (x < 0.08)
    text = `${text}, ${words[0]}`; // needs quoting
  else if (x < 0.09)
    text = `"${words[0]}" ${text}`; // embedded quotes
  else if (x < 0.095) text = `${text}\n${words.slice(0, 2).join(" ")}`; // voice transcript with a line break
  return text;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** ~1 % labelled, ~0.2 % exact re-sent duplicates, ~0.05 % broken rows: the paths a real file exercises. */
async function generate(file: string, count: number): Promise<{ duplicates: number; broken: number; labelled: number }> {
  const r = rng(42);
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let buffer = "id,message,conversation_id,speaker_id,timestamp,game,channel,source,label\n";
  let duplicates = 0;
  let broken = 0;
  let labelled = 0;
  let previous = "";
  const start = Date.UTC(2026, 0, 1) / 1000;
  for (let i = 0; i < count; i++) {
    const y = r();
    let line: string;
    if (y < 0.002 && previous) {
      line = previous;
      duplicates++;
    } else if (y < 0.0025) {
      line = `b${i},${csvField(message(r))},conv-${i},p1,yesterday,Dota 2,all,text,`; // bad timestamp
      broken++;
    } else {
      const conversation = Math.floor(i / 40);
      const text = message(r);
      const label = r() < 0.01 ? (INSULTS.some((w) => text.includes(w)) ? "toxic" : "clean") : "";
      if (label) labelled++;
      line = [
        `m${i}`,
        csvField(text),
        `conv-${conversation}`,
        `p${conversation % 997}-${Math.floor(r() * 10)}`,
        String(start + i * 3),
        GAMES[conversation % GAMES.length],
        CHANNELS[Math.floor(r() * CHANNELS.length)],
        r() < 0.15 ? "voice" : "text",
        label,
      ].join(",");
    }
    previous = line;
    buffer += line + "\n";
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
  return { duplicates, broken, labelled };
}

const adminUrl = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbUrl = (name: string) => {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
};

await mkdir(path.join(ROOT, "bench/tmp"), { recursive: true });
await mkdir(path.join(ROOT, "bench/results"), { recursive: true });
const file = path.join(ROOT, `bench/tmp/ingest-${rows}.csv`);
const genStart = performance.now();
const expected = await generate(file, rows);
const fileMb = (await stat(file)).size / 1024 / 1024;
console.log(`[ingest] generated ${rows.toLocaleString()} rows (${fileMb.toFixed(0)} MB) in ${((performance.now() - genStart) / 1000).toFixed(1)} s`);

const dbName = `modloop_bench_ingest_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
let exitCode = 0;
try {
  const { migrate } = await import("../server/db/migrate.ts");
  await migrate(dbUrl(dbName));
  const client = new pg.Client({ connectionString: dbUrl(dbName) });
  await client.connect();
  const { rows: ws } = await client.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('bench', 'Bench') RETURNING id`);
  const { rows: user } = await client.query<{ id: number }>(
    `INSERT INTO app_user (email, name, password_hash, role) VALUES ('bench@example.test', 'Bench', 'x', 'admin') RETURNING id`,
  );
  await client.query(
    `INSERT INTO category (workspace_id, name, hotkey, sort_order, is_non_toxic) VALUES ($1, 'Non-toxic', 1, 1, true), ($1, 'Harassment', 2, 2, false)`,
    [ws[0].id],
  );

  const loadBefore = os.loadavg()[0];
  const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, "--child", file], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl(dbName),
      BENCH_INGEST_ROWS: String(rows),
      BENCH_INGEST_CONTEXT: JSON.stringify({ workspaceId: ws[0].id, userId: user[0].id, chunkSize, writers }),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  const [code] = await once(child, "exit");
  if (code !== 0) throw new Error(`the importing process exited with code ${code}`);
  const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");

  const { rows: counts } = await client.query<{ excerpts: number; decisions: number }>(
    `SELECT (SELECT count(*) FROM excerpt)::int AS excerpts, (SELECT count(*) FROM decision)::int AS decisions`,
  );
  await client.end();

  const problems: string[] = [];
  const expectedInserted = rows - expected.duplicates - expected.broken;
  if (result.totalRows !== rows) problems.push(`read ${result.totalRows} rows, file has ${rows}`);
  if (result.errorRows !== expected.broken) problems.push(`${result.errorRows} errors reported, ${expected.broken} rows were broken`);
  if (counts[0].excerpts !== expectedInserted || result.insertedRows !== expectedInserted) {
    problems.push(`${counts[0].excerpts} excerpts stored (${result.insertedRows} reported), expected ${expectedInserted}`);
  }
  if (counts[0].decisions !== result.labelledRows) problems.push(`${counts[0].decisions} decisions for ${result.labelledRows} labelled rows`);

  const loadAfter = os.loadavg()[0];
  const rowsPerS = Math.round(rows / result.seconds);
  const cpuSeconds = result.importerCpuSeconds + (result.pgCpuSeconds ?? 0);
  const peakRssMb = Math.round(result.maxRssMb);
  const report = {
    rows,
    rows_per_s: rowsPerS,
    peak_rss_mb: peakRssMb,
    rss_mb_during_import: result.rssAt,
    seconds: Number(result.seconds.toFixed(2)),
    // the machine is shared: its load says how much of the 2 cores this run actually had
    load_avg_1m: { before: Number(loadBefore.toFixed(1)), after: Number(loadAfter.toFixed(1)) },
    importer_cpu_s: Number(result.importerCpuSeconds.toFixed(1)),
    postgres_cpu_s: result.pgCpuSeconds === null ? null : Number(result.pgCpuSeconds.toFixed(1)),
    cpu_us_per_row: result.pgCpuSeconds === null ? null : Number(((cpuSeconds / rows) * 1e6).toFixed(1)),
    // rows/s if this import had every core to itself and kept them busy: CPU work ÷ cores (an upper bound, not a measurement)
    rows_per_s_if_cores_free: result.pgCpuSeconds === null ? null : Math.round(rows / (cpuSeconds / os.cpus().length)),
    file_mb: Number(fileMb.toFixed(1)),
    inserted: result.insertedRows,
    duplicates: result.duplicateRows,
    errors: result.errorRows,
    labelled: result.labelledRows,
    chunk_size: chunkSize ?? (await import("../server/ingest/run-import.ts")).DEFAULT_CHUNK_SIZE,
    writers: writers ?? (await import("../server/ingest/run-import.ts")).DEFAULT_WRITERS,
    targets: { rows_per_s: 20_000, peak_rss_mb: 300 },
    meets_targets: rowsPerS >= 20_000 && peakRssMb <= 300,
    checks: problems.length === 0 ? "ok" : problems,
    path: "CSV stream → chunked COPY into a temp staging table → INSERT … SELECT … ON CONFLICT DO NOTHING (all indexes in place, GIN text search included)",
    machine: `${os.cpus().length} CPU cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    measured_at: new Date().toISOString(),
    size: isSmall ? "small" : rows === 1_000_000 ? "full" : "custom",
  };
  console.log(JSON.stringify(report, null, 2));
  await writeFile(path.join(ROOT, "bench/results/ingest.json"), JSON.stringify(report, null, 2) + "\n");
  if (problems.length > 0) {
    console.error(`[ingest] FAILED checks: ${problems.join("; ")}`);
    exitCode = 1;
  }
} finally {
  if (!args["keep-db"]) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
}
process.exit(exitCode);
