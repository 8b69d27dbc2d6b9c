import { AppError } from "@/lib/errors.ts";
import type { TRereviewItem } from "@/lib/label-errors/types.ts";
import { getPool } from "../db/pool.ts";
import { readRereviewItems } from "./read-rereview-items.ts";

export const MAX_REREVIEW_LIMIT = 100;

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REREVIEW_LIMIT) {
    throw new AppError("VALIDATION", `limit must be a whole number from 1 to ${MAX_REREVIEW_LIMIT}, got ${limit}.`);
  }
}

/**
 * The re-review queue as it stands (read-only, no leases): open suspects, most likely errors first,
 * each with its evidence, and how many are open in all. For senior moderators and admins, the only
 * ones who may settle a suspect (the route checks isAdjudicator, as for adjudication).
 */
export async function listRereviewQueue({
  workspaceId,
  limit = 50,
}: {
  workspaceId: number;
  limit?: number;
}): Promise<{ open: number; items: TRereviewItem[] }> {
  checkLimit(limit);
  const { rows } = await getPool().query<{ id: string; open: number }>(
    `SELECT id::text AS id, count(*) OVER ()::int AS open FROM label_suspect
      WHERE workspace_id = $1 AND status = 'open' ORDER BY quality, id LIMIT $2`,
    [workspaceId, limit],
  );
  return { open: rows[0]?.open ?? 0, items: await readRereviewItems({ workspaceId, suspectIds: rows.map((r) => r.id) }) };
}
