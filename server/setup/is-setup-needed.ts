import { getPool } from "../db/pool.ts";

/** True on a fresh install: no account exists yet, so `/` leads to /setup. */
export async function isSetupNeeded(): Promise<boolean> {
  const { rows } = await getPool().query<{ isEmpty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM app_user) AS "isEmpty"`);
  return rows[0].isEmpty;
}
