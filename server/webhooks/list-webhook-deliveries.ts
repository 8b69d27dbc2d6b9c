import type { TWebhookDelivery } from "@/lib/serving/contract.ts";
import { getPool } from "../db/pool.ts";
import { isInt4Id, toDelivery, type TDeliveryRow } from "./webhook-row.ts";

const MAX_PAGE = 200;

/**
 * The admin's delivery log: newest first, optionally one webhook's or one status's, keyset-paged by id
 * (`before` = the last id of the previous page). Each row: event, status, attempts, last response code.
 */
export async function listWebhookDeliveries(options: {
  workspaceId: number;
  webhookId?: number;
  status?: TWebhookDelivery["status"];
  before?: string;
  limit?: number;
}): Promise<{ deliveries: TWebhookDelivery[]; next: string | null }> {
  if (options.webhookId !== undefined && !isInt4Id(options.webhookId)) return { deliveries: [], next: null };
  const limit = Math.min(MAX_PAGE, Math.max(1, options.limit ?? 50));
  const before = options.before && /^\d{1,19}$/.test(options.before) ? options.before : "9223372036854775807";
  const { rows } = await getPool().query<TDeliveryRow>(
    `SELECT d.id::text, d.webhook_id, d.event_id::text, e.type, d.status, d.attempts, d.response_status, d.last_error,
            d.created_at, d.last_attempt_at, d.delivered_at
       FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id
      WHERE d.workspace_id = $1 AND d.id < $2::bigint
        AND ($3::int IS NULL OR d.webhook_id = $3) AND ($4::text IS NULL OR d.status = $4)
      ORDER BY d.id DESC LIMIT $5`,
    [options.workspaceId, before, options.webhookId ?? null, options.status ?? null, limit],
  );
  return { deliveries: rows.map(toDelivery), next: rows.length === limit ? rows[rows.length - 1].id : null };
}
