import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";

/**
 * Adjudicators are admins and users flagged is_senior (a flag rather than a role: a senior moderator
 * is still a moderator everywhere else, so no role list in the app has to learn a new role).
 * Read from the database on each call, so revoking the flag takes effect at once.
 */
export async function canAdjudicate({ userId }: { userId: number }): Promise<boolean> {
  const { rows } = await getPool().query<{ ok: boolean }>(`SELECT (role = 'admin' OR is_senior) AND is_active AS ok FROM app_user WHERE id = $1`, [userId]);
  return rows[0]?.ok === true;
}

export async function assertCanAdjudicate({ userId }: { userId: number }): Promise<void> {
  if (!(await canAdjudicate({ userId }))) {
    throw new AppError("FORBIDDEN", "Only senior moderators and admins adjudicate. Ask an admin to mark you as senior.");
  }
}
