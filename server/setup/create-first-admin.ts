import { assertPasswordPolicy } from "@/lib/auth/password-policy.ts";
import { AppError } from "@/lib/errors.ts";
import { hashPassword } from "../auth/password.ts";
import type { TSessionUser } from "../auth/roles.ts";
import { inTransaction } from "../db/transaction.ts";

export type TFirstAdmin = { email: string; name: string; password: string };

export const SETUP_DONE_MESSAGE = "This modloop is already set up: an account exists. Sign in, or ask an admin for an account.";

/**
 * Creates the first account, an instance admin, only while no account exists. Race-safe: the insert
 * happens under an EXCLUSIVE lock on app_user taken before the emptiness check (reads still run), so of
 * two people submitting the setup form at once exactly one becomes admin and the other is told to sign in.
 */
export async function createFirstAdmin({ email, name, password }: TFirstAdmin): Promise<TSessionUser> {
  assertPasswordPolicy(password, [email, name]);
  // hashed before taking the lock: argon2 takes tens of milliseconds
  const passwordHash = await hashPassword(password);
  return inTransaction(async (client) => {
    await client.query("LOCK TABLE app_user IN EXCLUSIVE MODE");
    const { rows } = await client.query<{ isTaken: boolean }>(`SELECT EXISTS (SELECT 1 FROM app_user) AS "isTaken"`);
    if (rows[0].isTaken) throw new AppError("CONFLICT", SETUP_DONE_MESSAGE);
    const inserted = await client.query<TSessionUser>(
      `INSERT INTO app_user (email, name, password_hash, role) VALUES ($1, $2, $3, 'admin') RETURNING id, email, name, role, is_senior AS "isSenior"`,
      [email, name, passwordHash],
    );
    return inserted.rows[0];
  });
}
