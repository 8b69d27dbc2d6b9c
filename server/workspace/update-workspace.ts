import { AppError } from "@/lib/errors.ts";
import type { TUpdateWorkspace } from "@/lib/workspace/contract.ts";
import { getPool } from "../db/pool.ts";

export type TUpdatedWorkspace = { slug: string; name: string; archivedAt: string | null };

/**
 * Renames and/or archives or restores a workspace in one statement; the slug never changes, so shared
 * links keep working. Archived: pages and GETs still answer (history stays readable), every other API
 * request answers 409 (server/http/route.ts) and imports are refused; here, only restoring is accepted while
 * archived. Archiving twice keeps the first time.
 */
export async function updateWorkspace({ workspaceId, changes }: { workspaceId: number; changes: TUpdateWorkspace }): Promise<TUpdatedWorkspace> {
  const { rows } = await getPool().query<{ slug: string; name: string; archivedAt: Date | null }>(
    `UPDATE workspace
        SET name = COALESCE($2, name),
            archived_at = CASE WHEN $3::boolean IS NULL THEN archived_at WHEN $3 THEN COALESCE(archived_at, now()) ELSE NULL END
      WHERE id = $1 AND (archived_at IS NULL OR $3 = false)
      RETURNING slug, name, archived_at AS "archivedAt"`,
    [workspaceId, changes.name ?? null, changes.isArchived ?? null],
  );
  const row = rows[0];
  if (!row) {
    // an archived workspace takes no change but its restoring (which may rename it in the same request)
    const { rows: found } = await getPool().query<{ name: string }>(`SELECT name FROM workspace WHERE id = $1`, [workspaceId]);
    if (!found[0]) throw new AppError("NOT_FOUND", `Workspace ${workspaceId} does not exist.`);
    throw new AppError("CONFLICT", `“${found[0].name}” is archived: restore it first (isArchived: false), then change it.`);
  }
  return { slug: row.slug, name: row.name, archivedAt: row.archivedAt?.toISOString() ?? null };
}
