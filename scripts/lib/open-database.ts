import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { startEmbeddedPostgres } from "../../server/db/embedded.ts";
import { env } from "../../server/env.ts";

export type TOpenDatabase = {
  url: string;
  /** "external": DATABASE_URL; "embedded": this process started PGlite; "attached": another process's PGlite */
  mode: "external" | "embedded" | "attached";
  close: () => Promise<void>;
};

type TLockFile = { pid: number; port: number; url: string; startedAt: string };

const lockPath = () => path.resolve(env().MODLOOP_DATA_DIR, "embedded.json");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The embedded database another process (usually `npm start`) is serving, if any. */
async function findRunningEmbedded(): Promise<TLockFile | null> {
  const raw = await readFile(lockPath(), "utf8").catch(() => null);
  if (!raw) return null;
  const lock = JSON.parse(raw) as TLockFile;
  if (lock.pid === process.pid || !isAlive(lock.pid)) return null;
  return (await canConnect(lock.port)) ? lock : null;
}

/**
 * The database every script works on: DATABASE_URL when set; otherwise the embedded PostgreSQL in
 * MODLOOP_DATA_DIR. PGlite's files belong to one process, so when `npm start` already serves them,
 * other scripts (seed, import, worker) connect to its socket instead of opening the files twice.
 */
export async function openDatabase(opts: { log?: (m: string) => void } = {}): Promise<TOpenDatabase> {
  const log = opts.log ?? (() => {});
  const e = env();
  if (e.DATABASE_URL) return { url: e.DATABASE_URL, mode: "external", close: async () => {} };

  const running = await findRunningEmbedded();
  if (running) {
    log(`using the embedded database served by process ${running.pid} on port ${running.port}`);
    process.env.DATABASE_URL = running.url;
    process.env.MODLOOP_DB_KIND = "pglite";
    return { url: running.url, mode: "attached", close: async () => {} };
  }

  await mkdir(e.MODLOOP_DATA_DIR, { recursive: true });
  if (await canConnect(e.MODLOOP_EMBEDDED_PORT)) {
    throw new Error(
      `Port ${e.MODLOOP_EMBEDDED_PORT} is taken by another program, so the embedded database cannot start there. ` +
        `Set MODLOOP_EMBEDDED_PORT to a free port, or DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  const startedAt = Date.now();
  const embedded = await startEmbeddedPostgres({ dataDir: e.MODLOOP_DATA_DIR, port: e.MODLOOP_EMBEDDED_PORT });
  const lock: TLockFile = { pid: process.pid, port: e.MODLOOP_EMBEDDED_PORT, url: embedded.url, startedAt: new Date().toISOString() };
  await writeFile(lockPath(), JSON.stringify(lock, null, 2));
  log(`embedded PostgreSQL (PGlite) in ${path.resolve(e.MODLOOP_DATA_DIR)} ready in ${Date.now() - startedAt} ms`);
  process.env.DATABASE_URL = embedded.url;
  // Tells server code (and the `next start` child, which inherits it) about PGlite's limits, e.g. no COPY FROM STDIN.
  process.env.MODLOOP_DB_KIND = "pglite";
  return {
    url: embedded.url,
    mode: "embedded",
    close: async () => {
      await embedded.stop();
      await rm(lockPath(), { force: true });
    },
  };
}
