/**
 * At most `limit` pieces of work run at once; the rest wait in line, first come first served, and a
 * finished piece hands its slot straight to the next in line. Pure (timers only): the caller decides what
 * a refusal is (an AppError with its own message), so the same line serves password hashing and the queue.
 */
export type TSemaphore = {
  /**
   * `maxWaitMs` here overrides the semaphore's own for this one piece (a caller with a fallback waits less).
   * `signal`: the caller gave up (a client that went away); aborted while waiting, the piece leaves the
   * line, never runs, and the call rejects with the signal's reason. Once running it is not interrupted.
   */
  run<T>(work: () => Promise<T>, opts?: { maxWaitMs?: number; signal?: AbortSignal }): Promise<T>;
  /** how many may run at once */
  readonly limit: number;
  /** running now */
  readonly active: number;
  /** waiting for a slot now */
  readonly waiting: number;
};

export type TSemaphoreOptions = {
  limit: number;
  /** beyond this many waiting, `run` rejects at once with `refuse()` (default: no bound) */
  maxWaiting?: number;
  refuse?: () => Error;
  /** a piece that waited this long without a slot rejects with `timedOut()` and never runs (default 0: waits for ever) */
  maxWaitMs?: number;
  timedOut?: () => Error;
};

type TWaiter = { start: () => void; timer?: ReturnType<typeof setTimeout>; onAbort?: () => void; signal?: AbortSignal };

export function createSemaphore(options: TSemaphoreOptions): TSemaphore {
  if (!Number.isInteger(options.limit) || options.limit < 1) throw new Error(`a semaphore's limit must be a whole number ≥ 1, got ${options.limit}`);
  const line: TWaiter[] = [];
  let active = 0;

  const release = () => {
    const next = line.shift();
    if (!next) {
      active--;
      return;
    }
    settle(next);
    next.start();
  };

  /** A waiter leaving the line (started, timed out or aborted) stops its timer and its abort listener. */
  const settle = (waiter: TWaiter) => {
    if (waiter.timer) clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
  };
  const leave = (waiter: TWaiter) => {
    const at = line.indexOf(waiter);
    if (at >= 0) line.splice(at, 1);
    settle(waiter);
  };

  const acquire = (maxWaitMs: number | undefined, signal: AbortSignal | undefined): Promise<void> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (active < options.limit) {
      active++;
      return Promise.resolve();
    }
    if (options.maxWaiting !== undefined && line.length >= options.maxWaiting) {
      return Promise.reject(options.refuse?.() ?? new Error("too many waiting"));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: TWaiter = { start: resolve, signal };
      if (maxWaitMs) {
        waiter.timer = setTimeout(() => {
          leave(waiter);
          reject(options.timedOut?.() ?? new Error("waited too long"));
        }, maxWaitMs);
      }
      if (signal) {
        waiter.onAbort = () => {
          leave(waiter);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      line.push(waiter);
    });
  };

  return {
    limit: options.limit,
    async run<T>(work: () => Promise<T>, opts?: { maxWaitMs?: number; signal?: AbortSignal }): Promise<T> {
      await acquire(opts?.maxWaitMs ?? options.maxWaitMs, opts?.signal);
      try {
        return await work();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return line.length;
    },
  };
}
