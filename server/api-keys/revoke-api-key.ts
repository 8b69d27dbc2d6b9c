import { AppError } from "@/lib/errors.ts";
import type { TApiKeySummary } from "@/lib/serving/contract.ts";
import { getPool } from "../db/pool.ts";
import { API_KEY_COLUMNS, toApiKeySummary, type TApiKeyRow } from "./api-key-row.ts";

/**
 * Revokes a key of this workspace; revoking twice keeps the first time. API processes hear of it through
 * a trigger's NOTIFY and refuse the key from their next request (within MODLOOP_API_CACHE_MS at worst,
 * if a process missed the notification). A key of another workspace is NOT_FOUND, as if it did not exist.
 */
export async function revokeApiKey(options: { workspaceId: number; keyId: number }): Promise<TApiKeySummary> {
  if (!Number.isInteger(options.keyId) || options.keyId < 1 || options.keyId > 2 ** 31 - 1) {
    throw new AppError("NOT_FOUND", `API key ${options.keyId} does not exist in this workspace; list the keys to find its id.`);
  }
  const { rows } = await getPool().query<TApiKeyRow>(
    `UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND workspace_id = $2 RETURNING ${API_KEY_COLUMNS}`,
    [options.keyId, options.workspaceId],
  );
  if (!rows[0]) throw new AppError("NOT_FOUND", `API key ${options.keyId} does not exist in this workspace; list the keys to find its id.`);
  return toApiKeySummary(rows[0]);
}
