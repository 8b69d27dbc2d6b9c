import type { TWorkspaceSummary } from "@/lib/workspace/contract.ts";
import { getPool } from "../db/pool.ts";

/** Every workspace with its size, oldest first (for instance admins: the /workspaces page and the CLI). */
export async function listWorkspaces(): Promise<TWorkspaceSummary[]> {
  const { rows } = await getPool().query<TWorkspaceSummary & { createdAt: Date }>(
    `SELECT w.id, w.slug, w.name, w.created_at AS "createdAt", w.archived_at AS "archivedAt",
            (SELECT count(*)::int FROM category c WHERE c.workspace_id = w.id AND c.is_active) AS "categoryCount",
            (SELECT count(*)::int FROM excerpt e WHERE e.workspace_id = w.id) AS "excerptCount"
       FROM workspace w ORDER BY w.id`,
  );
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString(), archivedAt: r.archivedAt ? new Date(r.archivedAt).toISOString() : null }));
}
