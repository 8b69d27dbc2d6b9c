/**
 * npm start — brings modloop up.
 *
 * No DATABASE_URL: starts the embedded PostgreSQL (PGlite, data in .data/), migrates, seeds the
 * demo workspace, runs the background worker in this process and serves the app: one command,
 * nothing to install. With DATABASE_URL: migrates, seeds only an empty database (unless
 * --no-seed), and leaves background jobs to `npm run worker` processes unless
 * MODLOOP_INPROCESS_WORKER=1.
 *
 * The web server is `npm run web` (Next.js with the queue's fast lane, scripts/web.ts) in a child
 * process (built first when .next is missing or older than the sources); this process owns the database, the worker, the machine API (embedded default,
 * or MODLOOP_INPROCESS_API=1; otherwise `npm run api`) and the shutdown order.
 */
import "./lib/check-env.ts";
import "./lib/survive-closed-output.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { closePools } from "../server/db/pool.ts";
import { migrate } from "../server/db/migrate.ts";
import { db } from "../server/db/client.ts";
import { DEMO_WORKSPACE_SLUG, seedDemoWorkspace } from "../server/demo/seed-demo-workspace.ts";
import { startWorker, type TWorkerHandle } from "../server/worker/worker.ts";
import { startApiServer, type TApiServer } from "../server/serving/start-api-server.ts";
import { DEMO_USERS } from "../lib/demo/demo-users.ts";
import { formatDemoAccounts } from "./lib/demo-accounts.ts";
import { parseCli, type TCli } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";
import { env } from "../server/env.ts";

const command = parseCli({
  script: "start",
  usage: "[options]",
  summary:
    "Brings modloop up: migrates the database (DATABASE_URL, else an embedded PostgreSQL in .data/), seeds the demo workspace into an " +
    "empty database, builds the app when its sources changed and serves it.",
  options: {
    "no-seed": { type: "boolean", description: "never seed the demo: an empty database opens the setup page instead" },
    port: { type: "string", value: "<port>", description: "web port (default: $PORT, else 3000)" },
    hostname: { type: "string", value: "<address>", description: "address to listen on (default: all)" },
  },
  examples: ["npm start", "npm start -- --no-seed --port 4000", "DATABASE_URL=postgresql://modloop@db.example.com/modloop npm start"],
  notes: ["Environment variables (DATABASE_URL, MODLOOP_PUBLIC_URL, …): see the Configuration table in README.md."],
});
const args = { ...command.values, port: command.values.port ?? String(env().PORT) };
const fail: TCli["fail"] = command.fail;
const port = Number(args.port);
if (!Number.isInteger(port) || port <= 0) fail(`--port must be a port number, got "${args.port}"`);

const ROOT = path.resolve(import.meta.dirname, "..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
// the production web server: Next.js plus the queue's fast lane (scripts/web.ts)
const WEB_SCRIPT = path.join(ROOT, "scripts/web.ts");
// Everything `next build` compiles: a newer file here means the build is stale.
const BUILD_INPUTS = ["app", "components", "lib", "server", "public", "next.config.js", "postcss.config.mjs", "tsconfig.json", "package.json"];
const SKIP_DIRS = new Set(["node_modules", ".next", "generated", "__snapshots__"]);

const startedAt = Date.now();
const log = (m: string) => console.log(`[start] ${m}`);
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
process.env.NEXT_TELEMETRY_DISABLED = "1";

async function newestMtime(target: string): Promise<number> {
  const info = await stat(target).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name) || entry.name.endsWith(".test.ts")) continue;
    newest = Math.max(newest, await newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

async function isBuildStale(): Promise<{ isStale: boolean; reason: string }> {
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  if (!existsSync(buildId)) return { isStale: true, reason: "no build yet" };
  const builtAt = (await stat(buildId)).mtimeMs;
  const inputs = await Promise.all(BUILD_INPUTS.map((p) => newestMtime(path.join(ROOT, p))));
  return Math.max(...inputs) > builtAt ? { isStale: true, reason: "sources changed since the last build" } : { isStale: false, reason: "" };
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: ROOT, env, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited with code ${child.exitCode}`);
    const ok = await fetch(url, { redirect: "manual" }).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web server did not answer on ${url} within ${timeoutMs / 1000} s`);
}

/** Seed an empty database; in embedded mode also finish a demo seed that an interrupted start left half done. */
async function shouldSeed(isEmbedded: boolean): Promise<boolean> {
  const workspaces = await db().workspace.findMany({ select: { slug: true, activeModelVersionId: true } });
  if (workspaces.length === 0) return true;
  return isEmbedded && workspaces.length === 1 && workspaces[0]!.slug === DEMO_WORKSPACE_SLUG && workspaces[0]!.activeModelVersionId === null;
}

const database = await openDatabase({ log });
if (database.mode === "attached") {
  console.error("[start] modloop is already running on the embedded database (see .data/embedded.json). Stop it first, or set DATABASE_URL.");
  process.exit(1);
}
const isEmbedded = database.mode === "embedded";
let worker: TWorkerHandle | null = null;
let api: TApiServer | null = null;
let web: ChildProcess | null = null;
let isShuttingDown = false;

async function shutdown(code: number, reason: string): Promise<never> {
  if (isShuttingDown) return new Promise<never>(() => {});
  isShuttingDown = true;
  log(`${reason}: shutting down`);
  if (web && web.exitCode === null) {
    const exited = new Promise((r) => web!.once("exit", r));
    web.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  // the machine API stores what it acknowledged before the worker and the database go
  await api?.stop({ timeoutMs: 10_000 }).catch((err: Error) => console.error(`[start] API stop: ${err.message}`));
  await worker?.stop({ timeoutMs: 15_000 }).catch((err: Error) => console.error(`[start] worker stop: ${err.message}`));
  await closePools();
  await database.close();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0, "SIGINT"));
process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));

try {
  const applied = await migrate(database.url, { log });
  log(applied.length ? `applied ${applied.length} migration(s) (${elapsed()})` : "database schema is up to date");

  if (!args["no-seed"] && (await shouldSeed(isEmbedded))) {
    log("seeding the demo workspace (first start only)");
    const seeded = await seedDemoWorkspace({ log });
    log(`demo workspace ready in ${(seeded.durationMs / 1000).toFixed(1)} s (${elapsed()})`);
  }

  if (isEmbedded || env().MODLOOP_INPROCESS_WORKER === "1") {
    worker = await startWorker({ log: (m) => console.log(`[worker] ${m}`) });
  } else {
    log("background jobs: run `npm run worker` (one or more, any machine) on the same DATABASE_URL");
  }

  if (isEmbedded || env().MODLOOP_INPROCESS_API === "1") {
    api = await startApiServer({ log: (m) => console.log(`[api] ${m}`) });
  } else {
    log("machine API: run `npm run api` (one or more, behind a load balancer) on the same DATABASE_URL");
  }

  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  // The worker runs here, not inside Next: the web process only enqueues.
  delete childEnv.MODLOOP_INPROCESS_WORKER;
  const stale = await isBuildStale();
  if (stale.isStale) {
    log(`building the app (${stale.reason}); this takes a minute the first time`);
    const buildStartedAt = Date.now();
    const code = await run(process.execPath, [NEXT_BIN, "build"], childEnv);
    if (code !== 0) await shutdown(code, "next build failed");
    log(`built in ${((Date.now() - buildStartedAt) / 1000).toFixed(1)} s`);
  }

  const hostArgs = args.hostname ? ["--hostname", args.hostname] : [];
  web = spawn(process.execPath, ["--import", "tsx", WEB_SCRIPT, "--port", String(port), ...hostArgs], { cwd: ROOT, env: childEnv, stdio: "inherit" });
  web.on("exit", (code) => void shutdown(code ?? 1, `the web server exited (code ${code})`));
  const url = `http://localhost:${port}`;
  await waitForHttp(`${url}/`, web, 60_000);
  const demoUsers = await db().user.count({ where: { email: { in: DEMO_USERS.map((u) => u.email) } } });

  console.log(
    [
      "",
      `modloop is running at ${url}  (ready in ${elapsed()})`,
      `database: ${isEmbedded ? `embedded PostgreSQL in ${path.resolve(env().MODLOOP_DATA_DIR)}` : "DATABASE_URL"}`,
      `background worker: ${worker ? "in this process" : "not here (npm run worker)"}`,
      `machine API: ${api ? `http://localhost:${api.port} (keys: npm run apikey -- create --name <name>)` : "not here (npm run api)"}`,
      "",
      demoUsers > 0 ? `${formatDemoAccounts()}\n` : "No demo accounts in this database (it was not empty at first start).",
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
} catch (err) {
  console.error(`[start] ${(err as Error).stack ?? err}`);
  await shutdown(1, "start failed");
}
