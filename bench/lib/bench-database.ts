import pg from "pg";

export type TBenchDatabase = {
  /** connection string of the benchmark's own database */
  url: string;
  /** drops it (closing anyone still connected) */
  drop: () => Promise<void>;
};

async function onAdmin(adminUrl: string, sql: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const statement of sql) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh database for one benchmark run on the local PostgreSQL (TEST_PG_URL's server): whatever a
 * crashed earlier run left under `name` is dropped first, then the app's migrations are applied, and
 * DATABASE_URL points at it so the server code the benchmark imports uses it.
 */
export async function createBenchDatabase(name: string): Promise<TBenchDatabase> {
  const adminUrl = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await onAdmin(adminUrl, [`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, `CREATE DATABASE "${name}"`]);
  process.env.DATABASE_URL = url.toString();
  const { migrate } = await import("../../server/db/migrate.ts");
  await migrate(url.toString());
  return { url: url.toString(), drop: () => onAdmin(adminUrl, [`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]) };
}

/**
 * A database an earlier run kept (bench/scale.ts --build-only / --keep): migrations added since are applied,
 * DATABASE_URL points at it; `drop` is there for symmetry, and a reuse never calls it.
 */
export async function openBenchDatabase(name: string): Promise<TBenchDatabase> {
  const adminUrl = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const { migrate } = await import("../../server/db/migrate.ts");
  const applied = await migrate(url.toString(), { log: (m) => console.log(`[bench-database] ${m}`) });
  if (applied.length > 0) console.log(`[bench-database] ${name}: applied ${applied.length} new migration(s)`);
  return { url: url.toString(), drop: () => onAdmin(adminUrl, [`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]) };
}
