import type { TWorkspaceMember } from "@/lib/workspace/contract.ts";
import { getPool } from "../db/pool.ts";

/**
 * A workspace's members with their role there, by name. Instance admins are admins of every workspace
 * whether or not they are members; they are listed too (isInstanceAdmin), so the page shows who has access.
 */
export async function listWorkspaceMembers({ workspaceId }: { workspaceId: number }): Promise<TWorkspaceMember[]> {
  const { rows } = await getPool().query<TWorkspaceMember>(
    `SELECT u.id AS "userId", u.email, u.name, COALESCE(m.role::text, 'admin') AS role, u.role = 'admin' AS "isInstanceAdmin",
            m.user_id IS NOT NULL AS "isMember", u.is_active AS "isActive"
       FROM app_user u LEFT JOIN workspace_member m ON m.user_id = u.id AND m.workspace_id = $1
      WHERE m.user_id IS NOT NULL OR u.role = 'admin'
      ORDER BY lower(u.name), u.id`,
    [workspaceId],
  );
  return rows;
}
