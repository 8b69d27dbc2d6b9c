/**
 * A per-key rate limit: a token bucket holding one minute of requests, refilled continuously. A key
 * limited to 600/min may burst 600 at once, then gets 10/s; an empty bucket answers how long until the
 * next token (the Retry-After header). Pure: the clock is passed in.
 */
export type TTake = { isAllowed: true } | { isAllowed: false; retryAfterSeconds: number };

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(perMinute: number, nowMs: number) {
    if (!(perMinute > 0)) throw new RangeError(`a rate limit must be positive, got ${perMinute}`);
    this.capacity = perMinute;
    this.perMs = perMinute / 60_000;
    this.tokens = perMinute;
    this.last = nowMs;
  }

  take(nowMs: number): TTake {
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, nowMs - this.last) * this.perMs);
    this.last = nowMs;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { isAllowed: true };
    }
    return { isAllowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.perMs / 1000)) };
  }
}

/**
 * The limit each process enforces when N processes share a key behind a load balancer that spreads
 * requests evenly: the key's limit divided by N (at least 1/min), so the whole fleet allows about the
 * key's limit without a shared counter (a database write per request would cost more than the request).
 */
export function perInstanceLimit(perMinute: number, instances: number): number {
  return Math.max(1, perMinute / Math.max(1, instances));
}
