import pg from "pg";

// BIGINT ids come back as strings from pg; keep them exact (ids can exceed 2^53 in theory) but
// parse counts via ::int in SQL where a number is wanted.
const globalForPool = globalThis as unknown as { modloopPools?: Map<string, pg.Pool> };

/** One pg.Pool per connection string per process (cached on globalThis so dev reloads reuse it). */
export function getPool(connectionString = requireDatabaseUrl()): pg.Pool {
  globalForPool.modloopPools ??= new Map();
  let pool = globalForPool.modloopPools.get(connectionString);
  if (!pool) {
    pool = new pg.Pool({ connectionString, max: Number(process.env.MODLOOP_POOL_MAX ?? 10) });
    pool.on("error", (err) => console.error("[db] idle client error", err.message));
    globalForPool.modloopPools.set(connectionString, pool);
  }
  return pool;
}

export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start through scripts/start.ts (embedded) or set it");
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
