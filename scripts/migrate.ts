/**
 * npm run db:migrate — applies prisma/migrations to DATABASE_URL (or the embedded database).
 * Prisma's own `migrate deploy` needs a native engine that cannot be downloaded offline; this
 * applies the same files and records them in `_prisma_migrations` the way Prisma does.
 */
import "./lib/check-env.ts";
import { closePools } from "../server/db/pool.ts";
import { migrate } from "../server/db/migrate.ts";
import { parseCli } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

parseCli({
  script: "db:migrate",
  usage: "",
  summary:
    "Applies prisma/migrations to DATABASE_URL, or to the embedded database in MODLOOP_DATA_DIR when it is unset. Safe to run again: " +
    "applied migrations are skipped. `npm start` runs it too.",
  options: {},
  examples: ["npm run db:migrate", "DATABASE_URL=postgresql://modloop@db.example.com/modloop npm run db:migrate"],
});

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
