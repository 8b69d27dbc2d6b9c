import type { TCategoryInfo } from "@/lib/dashboard/aggregate.ts";
import { getPool } from "../db/pool.ts";
import type { TModelMarker } from "@/lib/dashboard/contract.ts";

/** Categories (taxonomy order, inactive ones included: old labels still point at them) and model versions. */
export async function loadDashboardContext(workspaceId: number): Promise<{
  categories: TCategoryInfo[];
  models: TModelMarker[];
  threshold: number;
}> {
  const pool = getPool();
  const [cats, models, ws] = await Promise.all([
    pool.query<{ id: number; name: string; is_non_toxic: boolean; color: string }>(
      `SELECT id, name, is_non_toxic, color FROM category WHERE workspace_id = $1 ORDER BY sort_order, id`,
      [workspaceId],
    ),
    pool.query<{ id: number; version: string; status: string; promoted_at: Date | null; created_at: Date }>(
      `SELECT id, version, status::text, promoted_at, created_at FROM model_version WHERE workspace_id = $1 ORDER BY id`,
      [workspaceId],
    ),
    pool.query<{ flag_threshold: number }>(`SELECT flag_threshold FROM workspace WHERE id = $1`, [workspaceId]),
  ]);
  return {
    categories: cats.rows.map((c) => ({ id: c.id, name: c.name, isNonToxic: c.is_non_toxic, color: c.color })),
    models: models.rows.map((m) => ({
      id: m.id,
      version: m.version,
      status: m.status,
      promotedAt: m.promoted_at?.toISOString() ?? null,
      createdAt: m.created_at.toISOString(),
    })),
    threshold: ws.rows[0]?.flag_threshold ?? 0.5,
  };
}
