import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures: HMAC-SHA256 over `${timestamp}.${body}` with the webhook's secret, sent as
 * `Modloop-Signature: t=<unix seconds>,v1=<hex>`. Signing the timestamp with the body lets a receiver
 * refuse a replayed delivery (an old timestamp) that it would otherwise accept as authentic.
 */
export const SIGNATURE_HEADER = "modloop-signature";
/** how old a delivery a receiver should still accept; retries are signed afresh, so this can be short */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signPayload(secret, timestamp, body)}`;
}

/** What a receiver runs: true when the header is a valid signature of this exact body, recent enough. */
export function verifySignature(opts: {
  secret: string;
  header: string | null | undefined;
  body: string;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): boolean {
  if (!opts.header) return false;
  const parts = new Map(opts.header.split(",").map((kv) => kv.trim().split("=", 2) as [string, string]));
  const timestamp = Number(parts.get("t"));
  const given = parts.get("v1");
  if (!Number.isInteger(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given)) return false;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signPayload(opts.secret, timestamp, opts.body), "hex");
  return timingSafeEqual(expected, Buffer.from(given, "hex"));
}
