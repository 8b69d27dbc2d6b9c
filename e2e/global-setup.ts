import { createE2eDatabase, dropE2eDatabase } from "./support/database.ts";

import { databaseUrl } from "../server/test/pg-urls.ts";

/**
 * Creates, migrates and seeds this run's database (named in playwright.config.ts) and starts a background
 * worker for dataset snapshots, which run on the job queue (the server runs no worker here, so nothing
 * re-scores or re-ranks the fixture behind the specs' backs); the returned function stops it and drops the database.
 */
export default async function globalSetup() {
  const name = process.env.E2E_DB_NAME!;
  await createE2eDatabase(name);
  process.env.DATABASE_URL = databaseUrl(name);
  const { startWorker } = await import("../server/worker/worker.ts");
  const worker = await startWorker({ only: ["snapshot"], log: () => {} });
  return async () => {
    await worker.stop({ timeoutMs: 5_000 });
    await dropE2eDatabase(name);
  };
}
