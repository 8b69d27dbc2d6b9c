import pg from "pg";
import { migrate } from "../db/migrate.ts";
import { adminUrl, databaseUrl } from "./pg-urls.ts";

/**
 * Creates one migrated template database per test run; each test file clones it
 * (CREATE DATABASE … TEMPLATE) so every file gets its own real PostgreSQL database in ~100 ms.
 * Everything is dropped at the end.
 */
export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const template = `modloop_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await migrate(databaseUrl(template));
  await admin.end();
  provide("templateDb", template);
  return async () => {
    const c = new pg.Client({ connectionString: adminUrl() });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [
      template,
      `modloop_t_${process.pid}_%`,
    ]);
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await c.end();
  };
}
