import { AppError } from "@/lib/errors.ts";
import type { TPromoteModelVersionResult } from "@/lib/registry/contract.ts";
import { queryRunner } from "../db/transaction.ts";
import { promoteModelVersion } from "./promote-model-version.ts";

/**
 * One-click rollback: re-promotes the version that was active before the current one (the archived
 * version promoted most recently). Rolling back twice toggles between the two.
 */
export async function rollbackModelVersion(options: { workspaceId: number; expectedActiveId?: number | null }): Promise<TPromoteModelVersionResult> {
  const { rows } = await queryRunner().query<{ id: number }>(
    `SELECT id FROM model_version
      WHERE workspace_id = $1 AND status = 'archived' AND promoted_at IS NOT NULL
      ORDER BY promoted_at DESC, id DESC LIMIT 1`,
    [options.workspaceId],
  );
  if (!rows[0]) throw new AppError("CONFLICT", "There is no previously active version to roll back to.");
  return promoteModelVersion({ workspaceId: options.workspaceId, modelVersionId: rows[0].id, isRollback: true, expectedActiveId: options.expectedActiveId });
}
