/**
 * npm run db:migrate — applies prisma/migrations to DATABASE_URL (or the embedded database).
 * Prisma's own `migrate deploy` needs a native engine that cannot be downloaded offline; this
 * applies the same files and records them in `_prisma_migrations` the way Prisma does.
 */
import "./lib/check-env.ts";
import { closePools } from "../server/db/pool.ts";
import { migrate } from "../server/db/migrate.ts";
import { openDatabase } from "./lib/open-database.ts";

const log = (m: string) => console.log(`[migrate] ${m}`);
const database = await openDatabase({ log });
try {
  const applied = await migrate(database.url, { log });
  log(applied.length ? `applied ${applied.length} migration(s)` : "database is up to date");
} catch (err) {
  console.error(`[migrate] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await closePools();
  await database.close();
}
