import { getPool } from "../db/pool.ts";

/** How long the delivery log keeps an event whose deliveries are all finished. */
export const WEBHOOK_LOG_DAYS = 30;

/**
 * Deletes dispatched events older than the log's retention whose deliveries are all finished (their
 * delivery rows go with them), so the outbox and the log stay small. Pending deliveries are never touched.
 */
export async function pruneWebhookLog(options: { days?: number } = {}): Promise<{ deletedEvents: number }> {
  const { rowCount } = await getPool().query(
    `DELETE FROM webhook_event e
      WHERE e.dispatched_at < now() - make_interval(days => $1)
        AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = e.id AND d.status = 'pending')`,
    [options.days ?? WEBHOOK_LOG_DAYS],
  );
  return { deletedEvents: rowCount ?? 0 };
}
