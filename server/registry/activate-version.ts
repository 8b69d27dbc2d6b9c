import type pg from "pg";
import { AppError } from "@/lib/errors.ts";

/**
 * Inside a transaction: makes the version the workspace's active one, archives the previous active
 * version, and points workspace.active_model_version_id at it. The workspace row is locked first, so
 * two promotions at once serialise and exactly one version ends up active.
 */
export async function activateVersion(client: pg.PoolClient, opts: { workspaceId: number; modelVersionId: number }): Promise<{ previousActiveId: number | null }> {
  const { rows: ws } = await client.query<{ active_model_version_id: number | null }>(`SELECT active_model_version_id FROM workspace WHERE id = $1 FOR UPDATE`, [opts.workspaceId]);
  if (!ws[0]) throw new AppError("NOT_FOUND", `Workspace ${opts.workspaceId} does not exist.`);
  const previousActiveId = ws[0].active_model_version_id;
  await client.query(`UPDATE model_version SET status = 'archived' WHERE workspace_id = $1 AND status = 'active' AND id <> $2`, [opts.workspaceId, opts.modelVersionId]);
  const { rowCount } = await client.query(`UPDATE model_version SET status = 'active', promoted_at = now() WHERE id = $1 AND workspace_id = $2`, [opts.modelVersionId, opts.workspaceId]);
  if (rowCount !== 1) throw new AppError("NOT_FOUND", `Model version ${opts.modelVersionId} does not exist in this workspace; reload the model registry.`);
  await client.query(`UPDATE workspace SET active_model_version_id = $2 WHERE id = $1`, [opts.workspaceId, opts.modelVersionId]);
  return { previousActiveId: previousActiveId === opts.modelVersionId ? null : previousActiveId };
}
