import { signatureHeader, SIGNATURE_HEADER } from "@/lib/webhooks/signature.ts";
import { getPool } from "../db/pool.ts";
import { webhookSettings } from "./webhook-settings.ts";

export type TDeliveryOutcome = { status: "delivered" | "retry" | "failed" | "cancelled" | "gone"; responseStatus: number | null; error: string | null };

/**
 * One attempt at a webhook delivery (the pg-boss job's handler). POSTs the event as JSON with
 * `Modloop-Signature: t=<unix s>,v1=<HMAC-SHA256(secret, t + "." + body)>`, records the attempt
 * (status code, error) in the delivery log, and reports "retry" for anything but a 2xx, so the job is
 * retried with backoff; after the last attempt the delivery is marked failed (an admin can redeliver).
 * A 2xx already recorded is never sent again, so a job that runs twice delivers once.
 */
export async function deliverWebhook(options: { deliveryId: string; isLastAttempt: boolean }): Promise<TDeliveryOutcome> {
  const pool = getPool();
  const { rows } = await pool.query<{
    status: string;
    url: string;
    secret: string;
    is_active: boolean;
    event_id: string;
    type: string;
    payload: unknown;
    created_at: Date;
    slug: string;
  }>(
    `SELECT d.status, w.url, w.secret, w.is_active, e.id::text AS event_id, e.type, e.payload, e.created_at, ws.slug
       FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id JOIN webhook_event e ON e.id = d.event_id JOIN workspace ws ON ws.id = d.workspace_id
      WHERE d.id = $1`,
    [options.deliveryId],
  );
  const row = rows[0];
  if (!row) return { status: "gone", responseStatus: null, error: null };
  if (row.status === "delivered" || row.status === "cancelled") return { status: row.status, responseStatus: null, error: null };
  if (!row.is_active) {
    await pool.query(`UPDATE webhook_delivery SET status = 'cancelled', last_error = 'the webhook was turned off' WHERE id = $1`, [options.deliveryId]);
    return { status: "cancelled", responseStatus: null, error: null };
  }
  const body = JSON.stringify({ id: row.event_id, type: row.type, createdAt: row.created_at.toISOString(), workspace: row.slug, data: row.payload });
  const timestamp = Math.floor(Date.now() / 1000);
  let responseStatus: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(row.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(webhookSettings().timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "modloop-webhooks/1",
        "modloop-event": row.type,
        "modloop-delivery": options.deliveryId,
        "modloop-timestamp": String(timestamp),
        [SIGNATURE_HEADER]: signatureHeader(row.secret, timestamp, body),
      },
      body,
    });
    responseStatus = response.status;
    // the receiver's body is not needed; drain it so the connection can be reused
    await response.arrayBuffer().catch(() => undefined);
    if (response.status < 200 || response.status >= 300) error = `HTTP ${response.status}`;
  } catch (err) {
    error = (err as Error).name === "TimeoutError" ? `no answer within ${webhookSettings().timeoutMs} ms` : (err as Error).message;
  }
  const status = error === null ? "delivered" : options.isLastAttempt ? "failed" : "pending";
  await pool.query(
    `UPDATE webhook_delivery
        SET attempts = attempts + 1, response_status = $2, last_error = $3, last_attempt_at = now(), status = $4,
            delivered_at = CASE WHEN $4 = 'delivered' THEN now() END
      WHERE id = $1`,
    [options.deliveryId, responseStatus, error === null ? null : error.slice(0, 500), status],
  );
  return { status: status === "pending" ? "retry" : status, responseStatus, error };
}
