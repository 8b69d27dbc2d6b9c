import pg from "pg";
import { AppError } from "@/lib/errors.ts";
import { env } from "../env.ts";
import { isEmbeddedDatabase } from "./embedded.ts";

// BIGINT ids come back as strings from pg; keep them exact (ids can exceed 2^53 in theory) but
// parse counts via ::int in SQL where a number is wanted.
const globalForPool = globalThis as unknown as { modloopPools?: Map<string, pg.Pool> };

/** One pg.Pool per connection string per process (cached on globalThis so dev reloads reuse it). */
export function getPool(connectionString = requireDatabaseUrl()): pg.Pool {
  globalForPool.modloopPools ??= new Map();
  let pool = globalForPool.modloopPools.get(connectionString);
  if (!pool) {
    const e = env();
    pool = new pg.Pool({
      connectionString,
      // pg sends text as UTF-8: the server reads it so whatever the database's default (sqlLiteral's
      // escaping in server/db/transaction.ts relies on it too)
      client_encoding: "UTF8",
      max: e.MODLOOP_POOL_MAX,
      // idle connections are closed after this long (0 = never); a reopened one pays connect + catalog
      // warm-up on its next query, so a pool sized for peak concurrency may want them kept
      idleTimeoutMillis: e.MODLOOP_POOL_IDLE_MS,
      // a backstop, not a queue limit: requests whose own queries wait on connections that other
      // requests hold while they wait too would otherwise stall the process for good; after this long
      // a query fails (BUSY, 503 with Retry-After), its transaction rolls back and frees its connection
      connectionTimeoutMillis: e.MODLOOP_POOL_WAIT_MS,
    });
    pool.on("error", (err) => console.error("[db] idle client error", err.message));
    if (isEmbeddedDatabase()) pool.on("connect", dropStatementNames);
    globalForPool.modloopPools.set(connectionString, pool);
  }
  return pool;
}

/**
 * The embedded database (PGlite behind its socket server) runs every connection in ONE backend
 * session, so a named prepared statement created on one connection collides with the same name
 * prepared on the next ("prepared statement \"queue-claim\" already exists"). There, queries run
 * unnamed: same SQL and results, only the server-side plan cache is skipped.
 */
function dropStatementNames(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
    if (config && typeof config === "object" && "name" in config && "text" in config) {
      const { name: _name, ...unnamed } = config as Record<string, unknown>;
      return query(unnamed, ...rest);
    }
    return query(config, ...rest);
  };
}

// The URL env() last validated. getPool() calls requireDatabaseUrl() for every query (its default
// argument), and env() parses all of process.env with zod (~30 µs, and garbage): that was ~1% of the web
// process's busy CPU under the HTTP bench (bench/http-profile.md). DATABASE_URL can still change at run
// time (tests per file, scripts once the embedded database is up), so it is re-validated when it does.
let validatedUrl: string | undefined;

export function requireDatabaseUrl(): string {
  const raw = process.env.DATABASE_URL;
  if (raw !== undefined && raw === validatedUrl) return raw;
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start through scripts/start.ts (embedded) or set it");
  validatedUrl = url;
  return url;
}

export async function closePools(): Promise<void> {
  const pools = globalForPool.modloopPools;
  if (!pools) return;
  globalForPool.modloopPools = new Map();
  // Prisma clients wrap these pools; drop them too so the next db() call builds fresh ones.
  (globalThis as unknown as { modloopPrisma?: Map<string, unknown> }).modloopPrisma?.clear();
  await Promise.all([...pools.values()].map((p) => p.end()));
}

/** pg-pool's error when no connection came free within connectionTimeoutMillis (MODLOOP_POOL_WAIT_MS). */
export function isPoolWaitTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === "timeout exceeded when trying to connect";
}

export function busyError(): AppError {
  return new AppError("BUSY", "The server is busy: every database connection stayed in use. Nothing was saved; try again in a moment.", {
    retryAfterSeconds: 2,
  });
}

// SQLSTATE classes and codes that mean "the server went away or is not taking connections yet", not that
// the statement was wrong: connection exceptions (08…), admin/crash shutdown, and "starting up".
const UNREACHABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03"]);
const UNREACHABLE_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const UNREACHABLE_MESSAGES = ["Connection terminated unexpectedly", "Connection terminated due to connection timeout", "Connection terminated"];

/** Did this query fail because the database could not be reached (a restart, a failover), not because of the query? */
export function isDatabaseUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && (code.startsWith("08") || UNREACHABLE_SQLSTATES.has(code) || UNREACHABLE_NODE_CODES.has(code))) return true;
  if (UNREACHABLE_MESSAGES.some((m) => err.message.startsWith(m))) return true;
  // Prisma wraps the driver's error; node's AggregateError (every address refused) carries them in .errors
  const inner = (err as { cause?: unknown }).cause ?? (err as { errors?: unknown[] }).errors?.[0];
  return inner !== undefined && inner !== err && isDatabaseUnreachable(inner);
}

export function unavailableError(): AppError {
  return new AppError(
    "UNAVAILABLE",
    "The database cannot be reached right now (it may be restarting). Try again in a few seconds; a retry of the same action is never stored twice.",
    { retryAfterSeconds: 2 },
  );
}

/** The AppError a database failure stands for (every connection busy, or the server unreachable), or null for any other error. */
export function databaseAppError(err: unknown): AppError | null {
  if (isPoolWaitTimeout(err)) return busyError();
  if (isDatabaseUnreachable(err)) return unavailableError();
  return null;
}
