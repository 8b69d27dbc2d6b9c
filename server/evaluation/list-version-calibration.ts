import { getPool } from "../db/pool.ts";

export type TVersionCalibration = {
  modelVersionId: number;
  version: string;
  status: string;
  /** none | temperature | vector, or null for a version from before calibration */
  method: string | null;
  /** ECE (15 bins, top label) of the out-of-fold probabilities before and after calibration */
  outOfFoldEceBefore: number | null;
  outOfFoldEceAfter: number | null;
  /** ECE of the served probabilities on the gold set at the last evaluation */
  goldEce: number | null;
  goldN: number | null;
  /** the default flag threshold the version brings (its calibrated out-of-fold best-F1 cut) */
  defaultThreshold: number | null;
};

/** ECE per version for the Models page's list (newest first): one row per version, no ONNX bytes read. */
export async function listVersionCalibration({ workspaceId }: { workspaceId: number }): Promise<TVersionCalibration[]> {
  const { rows } = await getPool().query<{
    id: number;
    version: string;
    status: string;
    method: string | null;
    before: number | null;
    after: number | null;
    gold_ece: number | null;
    gold_n: number | null;
    threshold: number | null;
  }>(
    `SELECT id, version, status::text AS status,
            manifest->'calibration'->>'method' AS method,
            (manifest->'calibration'->'before'->>'ece')::float8 AS before,
            (manifest->'calibration'->'after'->>'ece')::float8 AS after,
            (metrics->'evaluation'->'calibration'->'reliability'->>'ece')::float8 AS gold_ece,
            (metrics->'evaluation'->'calibration'->'reliability'->>'n')::int AS gold_n,
            (manifest->'calibration'->>'flagThreshold')::float8 AS threshold
       FROM model_version WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC`,
    [workspaceId],
  );
  return rows.map((r) => ({
    modelVersionId: r.id,
    version: r.version,
    status: r.status,
    method: r.method,
    outOfFoldEceBefore: r.before,
    outOfFoldEceAfter: r.after,
    goldEce: r.gold_ece,
    goldN: r.gold_n,
    defaultThreshold: r.threshold,
  }));
}
