import type PgBoss from "pg-boss";
import { getPool } from "../db/pool.ts";
import { STALE_AFTER_SECONDS } from "./queues.ts";

/**
 * Fails, through pg-boss (so the queue's retries apply), every active job of a renewing queue whose last
 * renewal is older than its STALE_AFTER_SECONDS: its worker died (renew-job.ts stops with the process).
 * Every worker runs this every few seconds; two doing it at once fail the same job once (pg-boss only
 * fails active jobs). Returns how many jobs it failed.
 */
export async function failStaleJobs(boss: PgBoss): Promise<number> {
  const names = Object.keys(STALE_AFTER_SECONDS);
  const seconds = names.map((n) => STALE_AFTER_SECONDS[n]!);
  const { rows } = await getPool().query<{ name: string; id: string }>(
    `SELECT j.name, j.id FROM pgboss.job j JOIN unnest($1::text[], $2::int[]) AS s(name, seconds) ON s.name = j.name
      WHERE j.state = 'active' AND j.started_on < now() - make_interval(secs => s.seconds)`,
    [names, seconds],
  );
  for (const r of rows) await boss.fail(r.name, r.id, { message: "its worker stopped renewing it (presumed dead); retried on another worker" });
  return rows.length;
}
