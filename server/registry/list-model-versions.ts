import type { TVersionMetrics } from "@/lib/evaluation/index.ts";
import { getPool } from "../db/pool.ts";
import { selectGoldSet } from "../evaluation/select-gold-set.ts";
import { listTrainingRuns } from "./list-training-runs.ts";
import type { TModelVersionSummary, TModelRegistry } from "@/lib/registry/contract.ts";

/** Everything the registry page shows, newest version first (never the ONNX bytes). */
export async function listModelVersions(options: { workspaceId: number }): Promise<TModelRegistry> {
  const { workspaceId } = options;
  const pool = getPool();
  const [versions, ws, cats, gold, runs] = await Promise.all([
    pool.query<{
      id: number;
      version: string;
      kind: string;
      status: TModelVersionSummary["status"];
      created_at: Date;
      promoted_at: Date | null;
      trained_by: string | null;
      is_auto_trained: boolean;
      training: TModelVersionSummary["training"];
      calibration: TModelVersionSummary["calibration"];
      category_ids: number[];
      metrics: TVersionMetrics;
    }>(
      `SELECT m.id, m.version, m.kind, m.status::text AS status, m.created_at, m.promoted_at, u.name AS trained_by,
              EXISTS (SELECT 1 FROM training_run r WHERE r.model_version_id = m.id AND r.is_auto) AS is_auto_trained,
              m.manifest->'training' AS training,
              CASE WHEN jsonb_typeof(m.manifest->'calibration') = 'object' THEN jsonb_build_object(
                'method', m.manifest->'calibration'->'method', 'fittedOn', m.manifest->'calibration'->'fittedOn',
                'examples', m.manifest->'calibration'->'examples', 'before', m.manifest->'calibration'->'before',
                'after', m.manifest->'calibration'->'after') END AS calibration,
              m.category_ids, m.metrics
         FROM model_version m LEFT JOIN app_user u ON u.id = m.trained_by_id
        WHERE m.workspace_id = $1
        ORDER BY m.id DESC`,
      [workspaceId],
    ),
    pool.query<{ active_model_version_id: number | null; flag_threshold: number }>(
      `SELECT active_model_version_id, flag_threshold FROM workspace WHERE id = $1`,
      [workspaceId],
    ),
    pool.query<{ id: number; name: string; color: string; is_non_toxic: boolean; is_active: boolean }>(
      `SELECT id, name, color, is_non_toxic, is_active FROM category WHERE workspace_id = $1 ORDER BY sort_order, id`,
      [workspaceId],
    ),
    selectGoldSet({ workspaceId }),
    listTrainingRuns({ workspaceId }),
  ]);
  const rollback = versions.rows
    .filter((v) => v.status === "archived" && v.promoted_at)
    .sort((a, b) => b.promoted_at!.getTime() - a.promoted_at!.getTime() || b.id - a.id)[0];
  return {
    versions: versions.rows.map((v) => ({
      id: v.id,
      version: v.version,
      kind: v.kind,
      status: v.status,
      createdAt: v.created_at.toISOString(),
      promotedAt: v.promoted_at?.toISOString() ?? null,
      trainedBy: v.trained_by,
      isAutoTrained: v.is_auto_trained,
      training: v.training,
      calibration: v.calibration ?? null,
      categoryIds: v.category_ids,
      metrics: v.metrics ?? {},
      isEvaluationStale: v.metrics?.evaluation !== undefined && v.metrics.evaluation.goldSet?.sha256 !== gold.snapshot.sha256,
    })),
    activeModelVersionId: ws.rows[0]?.active_model_version_id ?? null,
    rollbackTargetId: rollback?.id ?? null,
    flagThreshold: ws.rows[0]?.flag_threshold ?? 0.5,
    goldSet: { n: gold.snapshot.n, heldOut: gold.heldOut, audit: gold.audit, sha256: gold.snapshot.sha256 },
    runs,
    categories: cats.rows.map((c) => ({ id: c.id, name: c.name, color: c.color, isNonToxic: c.is_non_toxic, isActive: c.is_active })),
  };
}
