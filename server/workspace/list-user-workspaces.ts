import type { TUserWorkspace } from "@/lib/workspace/types.ts";
import type { TRole, TSessionUser } from "../auth/roles.ts";
import { getPool } from "../db/pool.ts";

export type { TUserWorkspace };

/**
 * The workspaces a user can open, with their role in each, by name: every workspace for instance admins,
 * the ones they are a member of for everyone else. Archived ones are listed last.
 */
export async function listUserWorkspaces(opts: { user: Pick<TSessionUser, "id" | "role"> }): Promise<TUserWorkspace[]> {
  const isInstanceAdmin = opts.user.role === "admin";
  const { rows } = await getPool().query<{ slug: string; name: string; role: TRole; is_archived: boolean }>(
    isInstanceAdmin
      ? `SELECT w.slug, w.name, 'admin' AS role, w.archived_at IS NOT NULL AS is_archived FROM workspace w
          ORDER BY w.archived_at IS NOT NULL, lower(w.name), w.id`
      : `SELECT w.slug, w.name, m.role::text AS role, w.archived_at IS NOT NULL AS is_archived
           FROM workspace_member m JOIN workspace w ON w.id = m.workspace_id
          WHERE m.user_id = $1
          ORDER BY w.archived_at IS NOT NULL, lower(w.name), w.id`,
    isInstanceAdmin ? [] : [opts.user.id],
  );
  return rows.map((r) => ({ slug: r.slug, name: r.name, role: r.role, isArchived: r.is_archived }));
}
