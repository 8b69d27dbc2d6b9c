import { env } from "../env.ts";

/** Delivery settings from the environment (README, Configuration); read on use so tests can set them. */
export function webhookSettings(): { isLocalHttpAllowed: boolean; retryDelaySeconds: number; retryLimit: number; timeoutMs: number } {
  const e = env();
  return {
    isLocalHttpAllowed: e.MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST === "1",
    // first retry after 30–60 s, doubling: 12 retries span about two days before a delivery is marked failed
    retryDelaySeconds: e.MODLOOP_WEBHOOK_RETRY_DELAY_S,
    retryLimit: e.MODLOOP_WEBHOOK_RETRY_LIMIT,
    timeoutMs: e.MODLOOP_WEBHOOK_TIMEOUT_MS,
  };
}
