import { AppError } from "@/lib/errors.ts";
import { getBoss } from "../jobs/boss.ts";
import { QUEUES, type TWebhookJob } from "../jobs/queues.ts";
import { afterCommit, queryRunner } from "../db/transaction.ts";
import { webhookSettings } from "./webhook-settings.ts";

/**
 * Sends a delivery again (the admin's "Redeliver" in the delivery log), e.g. after a receiver was down
 * longer than the retries lasted. The delivery goes back to pending and gets a fresh set of retries.
 */
export async function redeliverWebhook(options: { workspaceId: number; deliveryId: string }): Promise<{ deliveryId: string }> {
  if (!/^\d{1,18}$/.test(options.deliveryId)) throw new AppError("NOT_FOUND", `Delivery ${options.deliveryId} does not exist in this workspace.`);
  const { rowCount } = await queryRunner().query(
    `UPDATE webhook_delivery SET status = 'pending', last_error = NULL WHERE id = $1 AND workspace_id = $2 AND status <> 'pending'`,
    [options.deliveryId, options.workspaceId],
  );
  if (!rowCount) {
    const { rows } = await queryRunner().query(`SELECT 1 FROM webhook_delivery WHERE id = $1 AND workspace_id = $2`, [options.deliveryId, options.workspaceId]);
    if (!rows[0]) throw new AppError("NOT_FOUND", `Delivery ${options.deliveryId} does not exist in this workspace.`);
    throw new AppError("CONFLICT", `Delivery ${options.deliveryId} is still being retried; wait for it to finish.`);
  }
  const settings = webhookSettings();
  const data: TWebhookJob = { deliveryId: options.deliveryId };
  // a worker must find the delivery pending: send the job once the reset has committed
  await afterCommit(async () => {
    await (await getBoss()).send(QUEUES.webhook, data, { retryLimit: settings.retryLimit, retryDelay: settings.retryDelaySeconds, retryBackoff: true });
  });
  return { deliveryId: options.deliveryId };
}
