/**
 * npm run db:seed — migrates, then creates the demo workspace (taxonomy, one account per role, the
 * generated game chat with ~100 labelled lines), trains and activates the default model and scores
 * everything. Safe to run again: it only adds what is missing.
 */
import "./lib/check-env.ts";
import { closePools } from "../server/db/pool.ts";
import { migrate } from "../server/db/migrate.ts";
import { seedDemoWorkspace } from "../server/demo/seed-demo-workspace.ts";
import { stopBoss } from "../server/jobs/boss.ts";
import { formatDemoAccounts } from "./lib/demo-accounts.ts";
import { parseCli } from "./lib/cli.ts";
import { openDatabase } from "./lib/open-database.ts";

parseCli({
  script: "db:seed",
  usage: "",
  summary:
    "Migrates, then creates the demo workspace (game-chat taxonomy, one account per role, generated chat with ~100 labelled lines), " +
    "trains and activates the default model and scores everything. Safe to run again: it only adds what is missing.",
  options: {},
  examples: ["npm run db:seed"],
});

const log = (m: string) => console.log(`[seed] ${m}`);
const database = await openDatabase({ log });
try {
  await migrate(database.url, { log });
  const result = await seedDemoWorkspace({ log });
  const added = result.createdCategories + result.createdUsers + result.importedExcerpts + (result.trainedModelVersionId ? 1 : 0) + result.scoredExcerpts;
  log(added === 0 ? "demo workspace already complete; nothing changed" : `demo workspace ready in ${result.durationMs} ms`);
  console.log(formatDemoAccounts());
} catch (err) {
  console.error(`[seed] failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  // the seed's threshold calibration queues a re-rank job: stop the job client so the script can exit
  await stopBoss();
  await closePools();
  await database.close();
}
