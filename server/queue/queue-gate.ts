import { availableParallelism } from "node:os";
import { createSemaphore, type TSemaphore } from "@/lib/async/semaphore.ts";
import { AppError } from "@/lib/errors.ts";
import { cachedEnv } from "../env.ts";

/** Beyond this many queue requests waiting per slot, more are refused at once (503 BUSY) rather than queued. */
const MAX_WAITING_PER_SLOT = 64;

/**
 * One gate per process, kept on globalThis: the production web server loads the queue routes twice (its
 * fast lane through tsx, and Next.js's own build for the queue page and MODLOOP_FAST_LANE=0), and two
 * module copies must not make two gates.
 */
const GATE_KEY = Symbol.for("modloop.queueGate");
const holder = globalThis as unknown as { [GATE_KEY]?: TSemaphore };

/**
 * Admission control for the review queue: at most MODLOOP_QUEUE_CONCURRENCY claims, decisions, undos and
 * progress reads run at once in this process; the others wait in line, first come first served, holding
 * no database connection, and one that waited MODLOOP_POOL_WAIT_MS answers 503 BUSY. The route wrapper
 * takes the slot after the caller is authenticated and authorised and its body read (withRoute's `gate`),
 * so neither a flood of refused callers nor a slow upload holds one. Default: 2 × cores, and at most half
 * the pool, since a keyed decision uses two connections (its idempotency transaction and the handler's).
 * On a small machine where PostgreSQL and the web process share the cores, ten queue requests inside
 * PostgreSQL at once only share the CPU ten ways and all finish late; four at a time finish in turn: at
 * 10M in-process the claim p95 went from 21.5–22.4 ms to 13.2–15.7 ms, and over HTTP at 1M five paced runs
 * measured claim p95 25–39 ms with the gate against 25–54 ms without (README "Scale").
 */
export function queueGate(): TSemaphore {
  if (!holder[GATE_KEY]) {
    const env = cachedEnv();
    const limit = env.MODLOOP_QUEUE_CONCURRENCY ?? Math.max(1, Math.min(2 * availableParallelism(), Math.floor(env.MODLOOP_POOL_MAX / 2)));
    holder[GATE_KEY] = createSemaphore({
      limit,
      maxWaiting: MAX_WAITING_PER_SLOT * limit,
      refuse: queueBusyError,
      maxWaitMs: env.MODLOOP_POOL_WAIT_MS,
      timedOut: queueBusyError,
    });
  }
  return holder[GATE_KEY];
}

function queueBusyError(): AppError {
  return new AppError("BUSY", "The review queue is busy: too many requests are waiting their turn. Nothing was saved; try again in a moment.", {
    retryAfterSeconds: 2,
  });
}
