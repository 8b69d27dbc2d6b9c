import pg from "pg";
import type PgBoss from "pg-boss";
import { requireDatabaseUrl } from "../db/pool.ts";
import { QUEUES, type TWebhookJob } from "../jobs/queues.ts";
import { deliverWebhook } from "./deliver-webhook.ts";
import { dispatchWebhookEvents } from "./dispatch-webhook-events.ts";
import { pruneWebhookLog } from "./prune-webhook-log.ts";
import { canListen } from "../db/embedded.ts";

/** How often the dispatcher looks for events when no notification arrives (the notification is the fast path). */
const POLL_MS = 2000;
export const WEBHOOK_CHANNEL = "modloop_webhooks";

/**
 * The webhook half of a background worker: a dispatcher that turns outbox events into delivery jobs as
 * soon as a trigger's NOTIFY says there are some (else every 2 s), and the pg-boss handler that makes
 * each attempt. Everything happens here, never on the request that changed the label or the model.
 */
export async function startWebhookWorker(
  boss: PgBoss,
  opts: { log: (m: string) => void; concurrency?: number },
): Promise<{ workerIds: string[]; stop: () => Promise<void> }> {
  const { log } = opts;
  let isStopped = false;
  let isRunning = false;
  let isRequested = false;
  const dispatch = async () => {
    if (isStopped) return;
    if (isRunning) {
      isRequested = true;
      return;
    }
    isRunning = true;
    try {
      do {
        isRequested = false;
        for (;;) {
          if (isStopped) break;
          const { events, deliveries } = await dispatchWebhookEvents({ boss });
          if (events === 0) break;
          if (deliveries > 0) log(`webhooks: ${deliveries} deliveries queued for ${events} events`);
        }
      } while (isRequested && !isStopped);
    } catch (err) {
      log(`webhooks: dispatch failed (${(err as Error).message}); retrying`);
    } finally {
      isRunning = false;
    }
  };
  const timer = setInterval(() => void dispatch(), POLL_MS);
  timer.unref();
  // the delivery log keeps finished deliveries for WEBHOOK_LOG_DAYS; every worker may prune, it is idempotent
  const pruneTimer = setInterval(() => void pruneWebhookLog().catch((err: Error) => log(`webhooks: pruning the log failed (${err.message})`)), 3600_000);
  pruneTimer.unref();

  // LISTEN on its own connection (a pooled one would be handed to other queries)
  let listener: pg.Client | null = null;
  const listen = async () => {
    const client = new pg.Client({ connectionString: requireDatabaseUrl(), application_name: "modloop-webhooks-listen" });
    client.on("notification", () => void dispatch());
    client.on("error", () => {
      listener = null;
      client.end().catch(() => {});
      if (!isStopped) setTimeout(() => void listen(), 5000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${WEBHOOK_CHANNEL}`);
      listener = client;
    } catch (err) {
      log(`webhooks: no change notifications (${(err as Error).message}); polling every ${POLL_MS / 1000} s`);
      client.end().catch(() => {});
    }
  };
  // The embedded database (PGlite behind its socket server) runs every connection in one session, and a
  // LISTEN there broke the other connections' view of the data (seen in server/demo/*.embedded.test.ts):
  // the embedded default polls instead.
  if (canListen()) await listen();
  void dispatch();

  const handler = async ([job]: PgBoss.JobWithMetadata<TWebhookJob>[]) => {
    const outcome = await deliverWebhook({ deliveryId: job.data.deliveryId, isLastAttempt: job.retryCount >= job.retryLimit });
    // throwing hands the job back to pg-boss, which retries it after its backoff
    if (outcome.status === "retry") throw new Error(`webhook delivery ${job.data.deliveryId}: ${outcome.error}`);
    return outcome;
  };
  const workerIds: string[] = [];
  for (let i = 0; i < Math.max(1, opts.concurrency ?? 2); i++) {
    workerIds.push(await boss.work<TWebhookJob>(QUEUES.webhook, { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true }, handler));
  }
  return {
    workerIds,
    stop: async () => {
      isStopped = true;
      clearInterval(timer);
      clearInterval(pruneTimer);
      await listener?.end().catch(() => {});
    },
  };
}
