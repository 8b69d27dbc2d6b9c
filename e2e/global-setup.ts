import { createE2eDatabase, dropE2eDatabase } from "./support/database.ts";

/** Creates, migrates and seeds this run's database (named in playwright.config.ts); the returned function drops it. */
export default async function globalSetup() {
  const name = process.env.E2E_DB_NAME!;
  await createE2eDatabase(name);
  return async () => {
    await dropE2eDatabase(name);
  };
}
