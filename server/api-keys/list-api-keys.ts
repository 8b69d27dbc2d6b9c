import type { TApiKeySummary } from "@/lib/serving/contract.ts";
import { getPool } from "../db/pool.ts";
import { API_KEY_COLUMNS, toApiKeySummary, type TApiKeyRow } from "./api-key-row.ts";

/** The workspace's keys, newest first, revoked and expired ones included (never the key or its hash). */
export async function listApiKeys(options: { workspaceId: number }): Promise<TApiKeySummary[]> {
  const { rows } = await getPool().query<TApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_key WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC`, [
    options.workspaceId,
  ]);
  return rows.map((r) => toApiKeySummary(r));
}
