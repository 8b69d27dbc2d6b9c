import type PgBoss from "pg-boss";
import { getBoss } from "../jobs/boss.ts";
import { QUEUES, type TWebhookJob } from "../jobs/queues.ts";
import { inTransaction } from "../db/transaction.ts";
import { webhookSettings } from "./webhook-settings.ts";

const DISPATCH_BATCH = 500;

/**
 * Turns undispatched outbox events into deliveries: one row per event and interested webhook, and one
 * pg-boss job per delivery, inserted in the SAME transaction that marks the events dispatched (pg-boss's
 * `db` option). So a crash leaves either all three or none, and a second dispatcher (SKIP LOCKED) never
 * takes the same events. Returns how many events it took; call until 0.
 */
export async function dispatchWebhookEvents(options: { limit?: number; boss?: PgBoss } = {}): Promise<{ events: number; deliveries: number }> {
  // the worker passes its own instance: a dispatch still running while the worker stops must not start a new one
  const boss = options.boss ?? (await getBoss());
  const settings = webhookSettings();
  return inTransaction(async (client) => {
    const { rows: events } = await client.query<{ id: string }>(
      `UPDATE webhook_event SET dispatched_at = now()
        WHERE id IN (SELECT id FROM webhook_event WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id::text`,
      [options.limit ?? DISPATCH_BATCH],
    );
    if (events.length === 0) return { events: 0, deliveries: 0 };
    const { rows: deliveries } = await client.query<{ id: string }>(
      `INSERT INTO webhook_delivery (webhook_id, event_id, workspace_id)
       SELECT w.id, e.id, e.workspace_id
         FROM webhook_event e JOIN webhook w ON w.workspace_id = e.workspace_id AND w.is_active AND e.type = ANY (w.events)
        WHERE e.id = ANY ($1::bigint[])
        ORDER BY e.id, w.id
       ON CONFLICT (webhook_id, event_id) DO NOTHING
       RETURNING id::text`,
      [events.map((e) => e.id)],
    );
    if (deliveries.length > 0) {
      const jobs: PgBoss.JobInsert<TWebhookJob>[] = deliveries.map((d) => ({
        name: QUEUES.webhook,
        data: { deliveryId: d.id },
        retryLimit: settings.retryLimit,
        retryDelay: settings.retryDelaySeconds,
        retryBackoff: true,
      }));
      await boss.insert(jobs, { db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) } });
    }
    return { events: events.length, deliveries: deliveries.length };
  });
}
