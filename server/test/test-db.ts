import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { db } from "../db/client.ts";
import { closePools } from "../db/pool.ts";
import { adminUrl, databaseUrl } from "./pg-urls.ts";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}

/**
 * A fresh, migrated database for one test file. Sets DATABASE_URL so server code under test uses it.
 * Call in beforeAll; call drop() in afterAll.
 */
export async function createTestDatabase(): Promise<{ url: string; prisma: ReturnType<typeof db>; drop: () => Promise<void> }> {
  const name = `modloop_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("templateDb")}"`);
  await admin.end();
  const url = databaseUrl(name);
  process.env.DATABASE_URL = url;
  return {
    url,
    prisma: db(url),
    drop: async () => {
      await closePools();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
