import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/demo/demo-users.ts";
import { getPool } from "../db/pool.ts";
import { DEMO_IMPORT_FILENAME } from "./seed-demo-workspace.ts";
import type { TDemoAccounts } from "@/lib/demo/contract.ts";

/**
 * The demo accounts the sign-in page offers, or null when this instance was not seeded with the demo
 * (its generated chat import is the marker: `npm start -- --no-seed` and real deployments never have
 * it). Only accounts that still exist and are active are offered. The password is the one printed by
 * `npm start` and written in the README: offering it reveals nothing that is not already public.
 */
export async function listDemoAccounts(): Promise<TDemoAccounts | null> {
  // The sign-in page must render even when this cannot be answered (database starting, or not yet
  // created: Playwright polls /login before its global setup creates the e2e database).
  const result = await getPool()
    .query<{ email: string }>(
      `SELECT u.email FROM app_user u
        WHERE u.email = ANY($1::text[]) AND u.is_active
          AND EXISTS (SELECT 1 FROM import_batch b WHERE b.filename = $2)`,
      [DEMO_USERS.map((u) => u.email), DEMO_IMPORT_FILENAME],
    )
    .catch(() => null);
  const rows = result?.rows ?? [];
  if (rows.length === 0) return null;
  const present = new Set(rows.map((r) => r.email));
  return { password: DEMO_PASSWORD, users: DEMO_USERS.filter((u) => present.has(u.email)) };
}
