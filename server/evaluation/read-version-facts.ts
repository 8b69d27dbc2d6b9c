import { AppError } from "@/lib/errors.ts";
import type { TVersionMetrics } from "@/lib/evaluation/index.ts";
import { getPool } from "../db/pool.ts";

export type TVersionFacts = {
  id: number;
  workspaceId: number;
  version: string;
  status: "candidate" | "active" | "shadow" | "archived";
  categoryIds: number[];
  nonToxicIndex: number;
  metrics: TVersionMetrics;
};

/** The few columns evaluation and promotion need (never the ONNX bytes). */
export async function readVersionFacts(options: { modelVersionId: number; workspaceId?: number }): Promise<TVersionFacts> {
  const { rows } = await getPool().query<{
    id: number;
    workspace_id: number;
    version: string;
    status: TVersionFacts["status"];
    category_ids: number[];
    non_toxic_index: number | null;
    metrics: TVersionMetrics;
  }>(
    `SELECT id, workspace_id, version, status::text AS status, category_ids, (manifest->>'nonToxicIndex')::int AS non_toxic_index, metrics
       FROM model_version WHERE id = $1`,
    [options.modelVersionId],
  );
  const r = rows[0];
  if (!r || (options.workspaceId !== undefined && r.workspace_id !== options.workspaceId)) {
    throw new AppError("NOT_FOUND", `Model version ${options.modelVersionId} does not exist in this workspace; reload the model registry.`);
  }
  if (r.non_toxic_index === null) throw new AppError("VALIDATION", `Model version ${r.version} has no nonToxicIndex in its manifest; re-import it.`);
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    version: r.version,
    status: r.status,
    categoryIds: r.category_ids,
    nonToxicIndex: r.non_toxic_index,
    metrics: r.metrics ?? {},
  };
}
