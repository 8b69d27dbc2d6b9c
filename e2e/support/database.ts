import pg from "pg";
import { migrate } from "../../server/db/migrate.ts";
import { adminUrl, databaseUrl } from "../../server/test/pg-urls.ts";
import { seedE2eFixture } from "./fixture.ts";

/** Creates, migrates and seeds a throwaway database; refuses anything but a modloop_e2e_* name. */
export async function createE2eDatabase(name: string, opts: { excerpts?: number } = {}): Promise<string> {
  assertE2eName(name);
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  await migrate(url);
  await seedE2eFixture(url, opts);
  return url;
}

export async function dropE2eDatabase(name: string): Promise<void> {
  assertE2eName(name);
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Like dub's Playwright guard: browser tests never touch a database they did not create. */
function assertE2eName(name: string): void {
  if (!/^modloop_e2e_[a-z0-9_]+$/.test(name)) throw new Error(`Refusing to use database "${name}": e2e databases are named modloop_e2e_<random>`);
}

/** A plain pg client on the e2e database, for specs that check what was stored. */
export async function withE2eDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(process.env.E2E_DB_NAME!) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
