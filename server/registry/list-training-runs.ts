import { getPool } from "../db/pool.ts";
import type { TTrainingRun } from "@/lib/registry/contract.ts";
import { toTrainingRun, TRAINING_RUN_SELECT, type TTrainingRunRow } from "./training-run.ts";

/** The workspace's most recent training runs, newest first. */
export async function listTrainingRuns(options: { workspaceId: number; limit?: number }): Promise<TTrainingRun[]> {
  const { rows } = await getPool().query<TTrainingRunRow>(`${TRAINING_RUN_SELECT} WHERE r.workspace_id = $1 ORDER BY r.id DESC LIMIT $2`, [
    options.workspaceId,
    Math.min(50, Math.max(1, options.limit ?? 10)),
  ]);
  return rows.map(toTrainingRun);
}
