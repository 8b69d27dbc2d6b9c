import { AppError } from "@/lib/errors.ts";
import { getPool } from "../db/pool.ts";
import { isInt4Id } from "./webhook-row.ts";

/** Removes a webhook and its delivery log; deliveries still queued find it gone and stop. */
export async function deleteWebhook(options: { workspaceId: number; webhookId: number }): Promise<{ id: number }> {
  const { rowCount } = isInt4Id(options.webhookId)
    ? await getPool().query(`DELETE FROM webhook WHERE id = $1 AND workspace_id = $2`, [options.webhookId, options.workspaceId])
    : { rowCount: 0 };
  if (!rowCount) throw new AppError("NOT_FOUND", `Webhook ${options.webhookId} does not exist in this workspace.`);
  return { id: options.webhookId };
}
