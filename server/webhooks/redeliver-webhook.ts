import { AppError } from "@/lib/errors.ts";
import { getBoss } from "../jobs/boss.ts";
import { QUEUES, type TWebhookJob } from "../jobs/queues.ts";
import { getPool } from "../db/pool.ts";
import { webhookSettings } from "./webhook-settings.ts";

/**
 * Sends a delivery again (the admin's "Redeliver" in the delivery log), e.g. after a receiver was down
 * longer than the retries lasted. The delivery goes back to pending and gets a fresh set of retries.
 */
export async function redeliverWebhook(options: { workspaceId: number; deliveryId: string }): Promise<{ deliveryId: string }> {
  if (!/^\d{1,18}$/.test(options.deliveryId)) throw new AppError("NOT_FOUND", `Delivery ${options.deliveryId} does not exist in this workspace.`);
  const { rowCount } = await getPool().query(
    `UPDATE webhook_delivery SET status = 'pending', last_error = NULL WHERE id = $1 AND workspace_id = $2 AND status <> 'pending'`,
    [options.deliveryId, options.workspaceId],
  );
  if (!rowCount) {
    const { rows } = await getPool().query(`SELECT 1 FROM webhook_delivery WHERE id = $1 AND workspace_id = $2`, [options.deliveryId, options.workspaceId]);
    if (!rows[0]) throw new AppError("NOT_FOUND", `Delivery ${options.deliveryId} does not exist in this workspace.`);
    throw new AppError("CONFLICT", `Delivery ${options.deliveryId} is still being retried; wait for it to finish.`);
  }
  const settings = webhookSettings();
  const boss = await getBoss();
  const data: TWebhookJob = { deliveryId: options.deliveryId };
  await boss.send(QUEUES.webhook, data, { retryLimit: settings.retryLimit, retryDelay: settings.retryDelaySeconds, retryBackoff: true });
  return { deliveryId: options.deliveryId };
}
