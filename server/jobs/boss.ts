import PgBoss from "pg-boss";
import { requireDatabaseUrl } from "../db/pool.ts";
import { env } from "../env.ts";
import { JOB_MAINTENANCE_SECONDS, QUEUE_DEFINITIONS } from "./queues.ts";

type TBossState = { url: string; boss: PgBoss; ready: Promise<PgBoss> };
const globalForBoss = globalThis as unknown as { modloopBoss?: TBossState };

/**
 * The process's one PgBoss on DATABASE_URL, started on first use (web requests that only enqueue
 * pay for it once; pages that never enqueue never open its pool). Its own small pool keeps job
 * traffic from starving request queries. Cached on globalThis so Next dev reloads reuse it.
 */
export function getBoss(connectionString = requireDatabaseUrl()): Promise<PgBoss> {
  const current = globalForBoss.modloopBoss;
  if (current && current.url === connectionString) return current.ready;
  if (current) {
    throw new Error(`pg-boss already runs on another database in this process; call stopBoss() before switching DATABASE_URL`);
  }
  const boss = new PgBoss({
    connectionString,
    max: env().MODLOOP_BOSS_POOL_MAX,
    application_name: "modloop-jobs",
    // Completed jobs are only an audit trail of background work; keep a week of them.
    deleteAfterDays: 7,
    // expired jobs (a worker that died) are failed and retried at this pace, not every two minutes
    maintenanceIntervalSeconds: JOB_MAINTENANCE_SECONDS,
  });
  boss.on("error", (err) => console.error("[jobs]", err.message));
  const ready = (async () => {
    await boss.start();
    for (const queue of QUEUE_DEFINITIONS) {
      // createQueue is not idempotent on every version: check first, then tolerate a concurrent creator.
      // An existing queue takes the current settings (expiry, retries), which change between versions.
      if (await boss.getQueue(queue.name)) {
        await boss.updateQueue(queue.name, queue);
        continue;
      }
      await boss.createQueue(queue.name, queue).catch(async (err: Error) => {
        if (!(await boss.getQueue(queue.name))) throw err;
      });
    }
    return boss;
  })();
  const state: TBossState = { url: connectionString, boss, ready };
  globalForBoss.modloopBoss = state;
  // A failed start must not poison the process: the next call tries again.
  ready.catch(() => {
    if (globalForBoss.modloopBoss === state) globalForBoss.modloopBoss = undefined;
  });
  return ready;
}

/**
 * Stops the process's PgBoss. graceful waits (up to timeoutMs) for running handlers to finish;
 * whatever has not finished by then is failed by pg-boss and retried by another worker.
 */
export async function stopBoss(opts: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const state = globalForBoss.modloopBoss;
  if (!state) return;
  globalForBoss.modloopBoss = undefined;
  const boss = await state.ready.catch(() => null);
  if (!boss) return;
  await boss.stop({ graceful: opts.graceful ?? true, wait: true, timeout: opts.timeoutMs ?? 30_000 });
}
