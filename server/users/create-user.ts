import { lockForTransaction } from "../db/advisory-lock.ts";
import { assertPasswordPolicy } from "@/lib/auth/password-policy.ts";
import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";
import { hashPassword } from "../auth/password.ts";
import { isUniqueViolation } from "../db/pg-errors.ts";
import { inTransaction, queryRunner } from "../db/transaction.ts";
import type { TCreateUser, TUserRow } from "@/lib/users/contract.ts";

/** The id of the workspace a user-admin request names; 422 naming the field when there is none. */
export async function workspaceIdFor(slug: string): Promise<number> {
  const found = await db().workspace.findUnique({ where: { slug }, select: { id: true } });
  if (!found) throw noSuchWorkspace(slug);
  return found.id;
}

const noSuchWorkspace = (slug: string) =>
  new AppError("VALIDATION", `body.workspace: no workspace "${slug.slice(0, 100)}". Pick one from the workspace switcher.`);

/**
 * Creates an account (and its membership of `workspace`, when named) on pg through inTransaction, so
 * inside an idempotent request (POST with an Idempotency-Key) it commits with the key's row: a request
 * that fails before its answer is stored leaves no account behind, and its retry creates it and answers
 * as the first would have, instead of "this email already exists".
 */
export async function createUser({ email, name, role, password, workspace }: TCreateUser): Promise<TUserRow> {
  // the schema checked the policy in general; here also against this person's own details
  assertPasswordPolicy(password, [email, name]);
  const taken = () => new AppError("CONFLICT", `A user with email ${email} already exists. Edit that user instead.`);
  // checked once before hashing, so a taken email or an unknown workspace costs no hash; the hash is made
  // before the transaction, which then holds its lock and its connection only for the writes
  const { rows: existing } = await queryRunner().query(`SELECT 1 FROM app_user WHERE email = $1`, [email]);
  if (existing.length) throw taken();
  const workspaceId = workspace ? await workspaceIdFor(workspace) : null;
  const passwordHash = await hashPassword(password);
  return inTransaction(async (client) => {
    // one creation per email at a time: a parallel second one waits, then finds the first
    await lockForTransaction(client, `modloop.user:${email}`);
    const { rows: again } = await client.query(`SELECT 1 FROM app_user WHERE email = $1`, [email]);
    if (again.length) throw taken();
    // the account and its membership together: a user created here can open the workspace at once
    const { rows } = await client
      .query<TCreatedUserRow>(
        `INSERT INTO app_user (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
         RETURNING id, email, name, role, is_active, is_senior, created_at`,
        [email, name, role, passwordHash],
      )
      .catch((err: unknown) => {
        // a writer that does not take the lock (the demo seed) got there first
        throw isUniqueViolation(err) ? taken() : err;
      });
    const user = rows[0]!;
    if (workspaceId !== null) {
      await client.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, $3)`, [workspaceId, user.id, role]);
    }
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      isActive: user.is_active,
      isSenior: user.is_senior,
      createdAt: user.created_at.toISOString(),
      decisionCount: 0,
    };
  });
}

type TCreatedUserRow = { id: number; email: string; name: string; role: TUserRow["role"]; is_active: boolean; is_senior: boolean; created_at: Date };
