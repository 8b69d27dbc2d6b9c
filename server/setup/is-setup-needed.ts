import { getPool } from "../db/pool.ts";

/** True on a fresh install: no account exists yet, so `/` leads to /setup. */
export async function isSetupNeeded(): Promise<boolean> {
  const { rows } = await getPool().query<{ isEmpty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM app_user) AS "isEmpty"`);
  return rows[0].isEmpty;
}

/** Whether any workspace exists (the setup page's second step is for an admin who has none yet). */
export async function hasAnyWorkspace(): Promise<boolean> {
  const { rows } = await getPool().query<{ isAny: boolean }>(`SELECT EXISTS (SELECT 1 FROM workspace) AS "isAny"`);
  return rows[0].isAny;
}
