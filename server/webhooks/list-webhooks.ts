import type { TWebhookSummary } from "@/lib/serving/contract.ts";
import { getPool } from "../db/pool.ts";
import { toWebhookSummary, WEBHOOK_COLUMNS, type TWebhookRow } from "./webhook-row.ts";

/** The workspace's webhooks (never their secrets). */
export async function listWebhooks(options: { workspaceId: number }): Promise<TWebhookSummary[]> {
  const { rows } = await getPool().query<TWebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM webhook WHERE workspace_id = $1 ORDER BY id`, [options.workspaceId]);
  return rows.map(toWebhookSummary);
}
