import { createHash, randomBytes } from "node:crypto";

/**
 * Machine API keys: "mlk_" + 43 base64url characters (32 random bytes, 256 bits). Only the SHA-256 of a
 * key is stored. A fast hash is the right one here: a slow password hash (bcrypt, scrypt) exists to make
 * guessing a human-chosen secret expensive, but nobody can enumerate 2^256 random keys whatever the hash
 * costs, while a 100 ms hash on every request would cap one API process at ~10 requests/s per core.
 */
export const API_KEY_PREFIX = "mlk_";
const KEY_BYTES = 32;
const KEY_SHAPE = /^mlk_[A-Za-z0-9_-]{43}$/;
/** how much of a key lists and logs show, enough to tell keys apart, far too little to guess the rest */
const DISPLAY_CHARS = API_KEY_PREFIX.length + 6;

export { API_SCOPES, type TApiScope } from "./scopes.ts";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A new key: the secret (shown once), its display prefix and the hash that is stored. */
export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = API_KEY_PREFIX + randomBytes(KEY_BYTES).toString("base64url");
  return { key, prefix: key.slice(0, DISPLAY_CHARS), keyHash: hashApiKey(key) };
}

/** Cheap shape check, so garbage in an Authorization header is refused without a database lookup. */
export function isWellFormedApiKey(value: string): boolean {
  return KEY_SHAPE.test(value);
}

/**
 * The key a request carries: `Authorization: Bearer <key>`, else the `key` query parameter (how
 * Perspective clients send theirs). Cookies are never read: a browser session cannot call the machine API.
 */
export function apiKeyFromRequest(authorization: string | undefined, queryKey: string | null): string | null {
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : null;
  }
  return queryKey && queryKey.length > 0 ? queryKey : null;
}
