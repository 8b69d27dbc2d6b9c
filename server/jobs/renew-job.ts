import { getPool } from "../db/pool.ts";
import { JOB_RENEW_SECONDS } from "./queues.ts";

/** ids of the jobs this process is running right now (withJobRenewal), so its own stale check spares them */
const runningHere = new Set<string>();

/** Whether this process is running the job: alive, whatever its last renewal says (a busy event loop delays renewals). */
export function isJobRunningHere(jobId: string): boolean {
  return runningHere.has(jobId);
}

/**
 * Runs a job's work while renewing its lease on the job: pg-boss 10 expires an active job at
 * started_on + expire_in and has no heartbeat, so the job's start time is moved forward every
 * JOB_RENEW_SECONDS while this process is alive. A worker that dies stops renewing, and its job expires
 * within the queue's short expiry (queues.ts) instead of after the longest time a healthy job could need.
 * Only an active job is touched: a finished or already expired one is left alone.
 */
export async function withJobRenewal<T>(job: { id: string; name: string }, work: () => Promise<T>): Promise<T> {
  const renew = () =>
    getPool()
      .query(`UPDATE pgboss.job SET started_on = now() WHERE name = $1 AND id = $2 AND state = 'active'`, [job.name, job.id])
      .catch((err: Error) => console.error(`[jobs] could not renew job ${job.id}: ${err.message}`));
  const timer = setInterval(renew, JOB_RENEW_SECONDS * 1000);
  timer.unref();
  runningHere.add(job.id);
  try {
    return await work();
  } finally {
    runningHere.delete(job.id);
    clearInterval(timer);
  }
}
