/** The events a webhook can subscribe to; no node: imports, so the admin pages can list them too. */
export const WEBHOOK_EVENTS = ["decision.final", "excerpt.flagged", "model.promoted"] as const;
export type TWebhookEventType = (typeof WEBHOOK_EVENTS)[number];
