import { availableParallelism } from "node:os";
import { createSemaphore, type TSemaphore } from "@/lib/async/semaphore.ts";
import { busyError } from "../db/pool.ts";
import { cachedEnv } from "../env.ts";

let gate: TSemaphore | undefined;

/**
 * Admission control for the review queue: at most MODLOOP_QUEUE_CONCURRENCY claims, decisions, undos and
 * progress reads (default 2 × this machine's cores) run at once in this process; the others wait in line,
 * first come first served, holding no database connection, and a request that waited MODLOOP_POOL_WAIT_MS
 * answers 503 BUSY like a pool wait. On a small machine where PostgreSQL and the web process share the
 * cores, ten queue requests inside PostgreSQL at once only share the CPU ten ways and all finish late; four
 * at a time finish in turn. Measured with 50 moderators (200 ms think time) on 2 cores, over HTTP at 1M
 * excerpts: claim p95 42.6 → 18.7 ms, decide p95 26.6 → 15.0 ms, decisions/s unchanged
 * (bench/results/http.json, README "Scale"). The route wrapper takes the slot before the session lookup
 * (withRoute's `gate`), so nothing is held while a request waits.
 */
export function queueGate(): TSemaphore {
  gate ??= createSemaphore({
    limit: cachedEnv().MODLOOP_QUEUE_CONCURRENCY ?? 2 * availableParallelism(),
    maxWaitMs: cachedEnv().MODLOOP_POOL_WAIT_MS,
    timedOut: busyError,
  });
  return gate;
}
