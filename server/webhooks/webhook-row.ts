import type { TWebhookDelivery, TWebhookSummary } from "@/lib/serving/contract.ts";

export const WEBHOOK_COLUMNS = "id, name, url, events, is_active, created_at, updated_at";
export type TWebhookRow = { id: number; name: string; url: string; events: string[]; is_active: boolean; created_at: Date; updated_at: Date };

export function toWebhookSummary(r: TWebhookRow): TWebhookSummary {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    events: r.events,
    isActive: r.is_active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export type TDeliveryRow = {
  id: string;
  webhook_id: number;
  event_id: string;
  type: string;
  status: TWebhookDelivery["status"];
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
};

export function toDelivery(r: TDeliveryRow): TWebhookDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    eventId: r.event_id,
    eventType: r.type,
    status: r.status,
    attempts: r.attempts,
    responseStatus: r.response_status,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
  };
}

export function isInt4Id(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0 && (value as number) <= 2 ** 31 - 1;
}
