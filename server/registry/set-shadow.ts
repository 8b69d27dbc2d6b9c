import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";
import { readVersionFacts } from "../evaluation/read-version-facts.ts";
import { enqueueScoring } from "../jobs/enqueue.ts";

/**
 * Puts a version in (or takes it out of) shadow mode: a shadow version scores every excerpt the
 * active one scores (its predictions are stored for comparison) but never ranks the queue or shows
 * a suggestion. Several shadows may run at once. Leaving shadow mode makes it a candidate again.
 */
export async function setShadow(options: {
  workspaceId: number;
  modelVersionId: number;
  isShadow: boolean;
}): Promise<{ modelVersionId: number; status: "shadow" | "candidate" }> {
  const { workspaceId, modelVersionId, isShadow } = options;
  const version = await readVersionFacts({ modelVersionId, workspaceId });
  if (version.status === "active") throw new AppError("CONFLICT", `${version.version} is the active version; promote another one before shadowing it.`);
  const status = isShadow ? "shadow" : "candidate";
  await getPool().query(`UPDATE model_version SET status = $2::"ModelStatus" WHERE id = $1`, [modelVersionId, status]);
  if (isShadow) await enqueueScoring(workspaceId);
  return { modelVersionId, status };
}
