import { AppError } from "@/lib/errors.ts";

/** The request header that makes a state-changing request safe to retry. */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * A fresh key for one user action (one keypress): 128 random bits as hex. crypto.getRandomValues, not
 * randomUUID, because randomUUID exists only in secure contexts and the app may be served over plain http.
 */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The header's value, null when absent; a malformed key is refused (422) rather than ignored. */
export function parseIdempotencyKey(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (!KEY_PATTERN.test(value)) {
    throw new AppError("VALIDATION", "headers.idempotency-key: use 8 to 128 letters, digits or . _ : - (one new key per action).");
  }
  return value;
}
