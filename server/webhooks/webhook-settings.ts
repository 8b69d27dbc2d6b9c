/** Delivery settings from the environment (README, Configuration); read on use so tests can set them. */
export function webhookSettings(): { isLocalHttpAllowed: boolean; retryDelaySeconds: number; retryLimit: number; timeoutMs: number } {
  const num = (name: string, fallback: number, min: number) => {
    const v = Number(process.env[name] ?? fallback);
    if (!Number.isFinite(v) || v < min) throw new Error(`${name} must be a number ≥ ${min}, got "${process.env[name]}"`);
    return v;
  };
  return {
    isLocalHttpAllowed: process.env.MODLOOP_WEBHOOK_ALLOW_HTTP_LOCALHOST === "1",
    // first retry after 30–60 s, doubling: 12 retries span about two days before a delivery is marked failed
    retryDelaySeconds: num("MODLOOP_WEBHOOK_RETRY_DELAY_S", 30, 1),
    retryLimit: num("MODLOOP_WEBHOOK_RETRY_LIMIT", 12, 0),
    timeoutMs: num("MODLOOP_WEBHOOK_TIMEOUT_MS", 10_000, 100),
  };
}
