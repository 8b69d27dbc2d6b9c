import { AppError } from "@/lib/errors.ts";
import type { TWorkspaceMember } from "@/lib/workspace/contract.ts";
import type { TRole } from "../auth/roles.ts";
import { getPool } from "../db/pool.ts";
import { inTransaction } from "../db/transaction.ts";

type TSetMemberOptions = {
  workspaceId: number;
  /** the member, by id (the members page) or by email (adding someone; the CLI) */
  user: { id: number } | { email: string };
  role: TRole;
  /** who asks: nobody changes their own membership (an admin demoting themselves would be locked out) */
  actorUserId: number | null;
};

/**
 * Adds a user to a workspace with a role, or changes their role there: the same request twice leaves
 * one membership (an upsert on the primary key), so a retry never doubles anything.
 */
export async function setWorkspaceMember({ workspaceId, user, role, actorUserId }: TSetMemberOptions): Promise<TWorkspaceMember> {
  return inTransaction(async (client) => {
    const found = await client.query<{ id: number; email: string; name: string; isActive: boolean; isInstanceAdmin: boolean }>(
      `SELECT id, email, name, is_active AS "isActive", role = 'admin' AS "isInstanceAdmin" FROM app_user
        WHERE ${"id" in user ? "id = $1" : "lower(email) = lower($1)"}`,
      ["id" in user ? user.id : user.email.trim()],
    );
    const target = found.rows[0];
    if (!target) {
      throw new AppError(
        "NOT_FOUND",
        "id" in user
          ? `userId: user ${user.id} does not exist.`
          : `email: no account has the email ${user.email.trim()}. An instance admin creates accounts in Admin → Users (or npm run workspace -- members add after creating it).`,
      );
    }
    if (target.id === actorUserId) throw new AppError("CONFLICT", "You cannot change your own membership: ask another admin.");
    await client.query(
      `INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, $3::"Role")
       ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
      [workspaceId, target.id, role],
    );
    return {
      userId: target.id,
      email: target.email,
      name: target.name,
      role,
      isInstanceAdmin: target.isInstanceAdmin,
      isMember: true,
      isActive: target.isActive,
    };
  });
}

/** Removes a membership. Idempotent: removing someone who is not a member is not an error (a retried DELETE). */
export async function removeWorkspaceMember({
  workspaceId,
  userId,
  actorUserId,
}: {
  workspaceId: number;
  userId: number;
  actorUserId: number | null;
}): Promise<{ isRemoved: boolean }> {
  if (userId === actorUserId) throw new AppError("CONFLICT", "You cannot remove yourself: ask another admin.");
  const { rowCount } = await getPool().query(`DELETE FROM workspace_member WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, userId]);
  return { isRemoved: (rowCount ?? 0) > 0 };
}
