/**
 * At most `limit` pieces of work run at once; the rest wait in line, first come first served, and a
 * finished piece hands its slot straight to the next in line. Pure (timers only): the caller decides what
 * a refusal is (an AppError with its own message), so the same line serves password hashing and the queue.
 */
export type TSemaphore = {
  /** `maxWaitMs` here overrides the semaphore's own for this one piece (a caller with a fallback waits less) */
  run<T>(work: () => Promise<T>, opts?: { maxWaitMs?: number }): Promise<T>;
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

type TWaiter = { start: () => void; timer?: ReturnType<typeof setTimeout> };

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
    if (next.timer) clearTimeout(next.timer);
    next.start();
  };

  const acquire = (maxWaitMs: number | undefined): Promise<void> => {
    if (active < options.limit) {
      active++;
      return Promise.resolve();
    }
    if (options.maxWaiting !== undefined && line.length >= options.maxWaiting) {
      return Promise.reject(options.refuse?.() ?? new Error("too many waiting"));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: TWaiter = { start: resolve };
      if (maxWaitMs) {
        waiter.timer = setTimeout(() => {
          const at = line.indexOf(waiter);
          if (at >= 0) line.splice(at, 1);
          reject(options.timedOut?.() ?? new Error("waited too long"));
        }, maxWaitMs);
      }
      line.push(waiter);
    });
  };

  return {
    limit: options.limit,
    async run<T>(work: () => Promise<T>, opts?: { maxWaitMs?: number }): Promise<T> {
      await acquire(opts?.maxWaitMs ?? options.maxWaitMs);
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
