import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { seedDemoWorkspace } from "../demo/seed-demo-workspace.ts";
import { createSnapshot } from "../export/create-snapshot.ts";
import { importRecords } from "../ingest/import-records.ts";
import { requestTraining } from "../registry/request-training.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { getBoss, stopBoss } from "../jobs/boss.ts";
import { enqueueScoring } from "../jobs/enqueue.ts";
import { failStaleJobs } from "../jobs/fail-stale-jobs.ts";
import { QUEUES, STALE_AFTER_SECONDS } from "../jobs/queues.ts";
import { withJobRenewal } from "../jobs/renew-job.ts";
import { startWorker, type TWorkerHandle } from "./worker.ts";

/**
 * Issue 13, item 3/4: a worker killed mid-job must not hold its job (and, for per-workspace queues, the
 * workspace) for the job's whole expiry. The "dead worker" here is a second pg-boss that fetches the job
 * (it becomes active) and never finishes or renews it, as after a SIGKILL.
 */
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let dead: PgBoss;
let worker: TWorkerHandle | undefined;
let workspaceId: number;
let adminId: number;

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Takes the next job of `queue` as a worker that then dies: active, never renewed, never finished. */
async function takenByDeadWorker(queue: string): Promise<string> {
  const job = await waitFor(`a ${queue} job to take`, async () => (await dead.fetch(queue))[0]);
  return job.id;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  const seeded = await seedDemoWorkspace({ conversations: 4, hasReviewHistory: false });
  workspaceId = seeded.workspaceId;
  adminId = (await testDb.prisma.user.findFirstOrThrow({ where: { role: "admin" } })).id;
  await getBoss(); // creates the queues with their settings
  dead = new PgBoss({ connectionString: process.env.DATABASE_URL!, supervise: false, schedule: false, max: 2 });
  dead.on("error", () => {});
  await dead.start();
}, 120_000);

afterAll(async () => {
  await worker?.stop({ timeoutMs: 5_000 });
  await dead?.stop({ graceful: false, wait: true, timeout: 1_000 }).catch(() => {});
  await stopBoss({ graceful: false });
  await testDb?.drop();
});

describe("restart safety of background jobs", () => {
  // pg-boss's expireInSeconds is also its handler timeout inside a healthy worker: with 15 s, every scoring
  // job longer than that failed ("handler execution exceeded 15000ms", found by bench/faults.ts at 28,000
  // excerpts). Liveness is judged by renewals instead; the expiry is only a ceiling.
  it("judges a job dead by its stopped renewals, never by how long it runs", async () => {
    const { rows: queues } = await getPool().query<{ name: string; expire_seconds: number }>(
      `SELECT name, expire_seconds FROM pgboss.queue WHERE name = ANY($1::text[])`,
      [Object.keys(STALE_AFTER_SECONDS)],
    );
    expect(queues).toHaveLength(Object.keys(STALE_AFTER_SECONDS).length);
    for (const q of queues) expect(q.expire_seconds, q.name).toBeGreaterThanOrEqual(3600);

    const boss = await getBoss();
    await boss.send(QUEUES.requeue, { workspaceId });
    const id = await takenByDeadWorker(QUEUES.requeue);
    // running for a minute, renewed a moment ago: alive
    await getPool().query(`UPDATE pgboss.job SET started_on = now() - interval '2 seconds', created_on = now() - interval '60 seconds' WHERE id = $1`, [id]);
    expect(await failStaleJobs(boss)).toBe(0);
    expect((await boss.getJobById(QUEUES.requeue, id))?.state).toBe("active");
    // no renewal for 20 s: its worker is gone, so it is failed into a retry
    await getPool().query(`UPDATE pgboss.job SET started_on = now() - interval '20 seconds' WHERE id = $1`, [id]);
    expect(await failStaleJobs(boss)).toBe(1);
    expect((await boss.getJobById(QUEUES.requeue, id))?.state).toBe("retry");
    await boss.cancel(QUEUES.requeue, id);
  });

  it("never fails a job the checking process is running itself, however late its renewals (a busy event loop)", async () => {
    const boss = await getBoss();
    await boss.send(QUEUES.requeue, { workspaceId });
    const id = await takenByDeadWorker(QUEUES.requeue);
    const failedWhileRunning = await withJobRenewal({ id, name: QUEUES.requeue }, async () => {
      // a long synchronous stretch held the renewal timer back: the last renewal looks a minute old
      await getPool().query(`UPDATE pgboss.job SET started_on = now() - interval '60 seconds' WHERE id = $1`, [id]);
      return failStaleJobs(boss);
    });
    expect(failedWhileRunning).toBe(0);
    expect((await boss.getJobById(QUEUES.requeue, id))?.state).toBe("active");
    // once this process no longer runs it, the same job is a dead worker's
    expect(await failStaleJobs(boss)).toBe(1);
    await boss.cancel(QUEUES.requeue, id);
  });

  it("a snapshot whose worker dies on its last attempt ends failed with the reason, not running forever", async () => {
    const boss = await getBoss();
    const snapshot = await createSnapshot({ workspaceId, userId: adminId, params: { formats: ["jsonl"] } });
    const id = await takenByDeadWorker(QUEUES.snapshot);
    // the build had started (runSnapshotJob sets running) on the attempt that has no retry after it
    await getPool().query(`UPDATE dataset_snapshot SET status = 'running', started_at = now() WHERE id = $1`, [snapshot.id]);
    await getPool().query(`UPDATE pgboss.job SET retry_count = retry_limit, started_on = now() - interval '60 seconds' WHERE id = $1`, [id]);
    expect(await failStaleJobs(boss)).toBe(1);
    expect((await boss.getJobById(QUEUES.snapshot, id))?.state).toBe("failed");
    const { rows } = await getPool().query<{ status: string; error: string | null; finished_at: Date | null }>(
      `SELECT status, error, finished_at FROM dataset_snapshot WHERE id = $1`,
      [snapshot.id],
    );
    expect(rows[0].status).toBe("failed");
    expect(rows[0].error).toMatch(/worker .*stopped.*last attempt/i);
    expect(rows[0].finished_at).not.toBeNull();
  });

  it("a dead worker's scoring, training and snapshot jobs are taken over within 30 s, and the work finishes", async () => {
    await importRecords({
      workspaceId,
      userId: adminId,
      filename: "after-crash.jsonl",
      records: Array.from({ length: 30 }, (_, i) => ({ external_id: `crash-${i}`, text: `rotate mid after the crash ${i}`, conversation_id: "crash" })),
    });
    await enqueueScoring(workspaceId);
    const scoreJob = await takenByDeadWorker(QUEUES.score);
    const { run } = await requestTraining({ workspaceId, requestedById: adminId });
    await takenByDeadWorker(QUEUES.train);
    const snapshot = await createSnapshot({ workspaceId, userId: adminId, params: { formats: ["jsonl"] } });
    await takenByDeadWorker(QUEUES.snapshot);

    // the crash: nobody renews those jobs; a healthy worker starts now
    const startedAt = Date.now();
    worker = await startWorker({ pollingIntervalSeconds: 0.5, hasSweep: false, log: () => {} });
    const boss = await getBoss();
    await waitFor("the scoring job to be retried and finished", async () => {
      const { rows } = await getPool().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM excerpt e JOIN workspace w ON w.id = e.workspace_id
          WHERE w.id = $1 AND NOT EXISTS (SELECT 1 FROM prediction p WHERE p.excerpt_id = e.id AND p.model_version_id = w.active_model_version_id)`,
        [workspaceId],
      );
      return rows[0].n === 0;
    });
    const scoredAfterS = (Date.now() - startedAt) / 1000;
    expect(scoredAfterS).toBeLessThan(30);
    expect((await boss.getJobById(QUEUES.score, scoreJob))?.retryCount).toBeGreaterThanOrEqual(1);

    await waitFor("the snapshot to be built by the healthy worker", async () => {
      const { rows } = await getPool().query<{ status: string }>(`SELECT status FROM dataset_snapshot WHERE id = $1`, [snapshot.id]);
      return rows[0].status === "done";
    });
    await waitFor("the training run to finish", async () => {
      const { rows } = await getPool().query<{ status: string }>(`SELECT status FROM training_run WHERE id = $1`, [run.id]);
      return rows[0].status === "done";
    });
    expect((Date.now() - startedAt) / 1000).toBeLessThan(60);
  }, 120_000);

  it("a snapshot that fails for good is marked failed with its reason, where the Datasets page shows it", async () => {
    const exportDir = process.env.MODLOOP_EXPORT_DIR;
    // a file where the export folder should be: every attempt fails the same way
    process.env.MODLOOP_EXPORT_DIR = "/dev/null/modloop-snapshots";
    try {
      const snapshot = await createSnapshot({ workspaceId, userId: adminId, params: { formats: ["jsonl"] } });
      const failed = await waitFor("the snapshot to fail for good", async () => {
        const { rows } = await getPool().query<{ status: string; error: string | null }>(`SELECT status, error FROM dataset_snapshot WHERE id = $1`, [
          snapshot.id,
        ]);
        const { rows: pending } = await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state < 'completed'`, [
          QUEUES.snapshot,
        ]);
        return rows[0].status === "failed" && pending[0].n === 0 ? rows[0] : null;
      });
      expect(failed.error).toMatch(/ENOTDIR|not a directory|EACCES|ENOENT/i);
    } finally {
      process.env.MODLOOP_EXPORT_DIR = exportDir;
    }
  }, 60_000);

  it("a retried training job whose run an earlier attempt finished trains nothing again (one run, one version)", async () => {
    const count = async (table: string) =>
      (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1`, [workspaceId])).rows[0].n;
    // the healthy worker from the first test is stopped while the dead one takes the job: both polling, the
    // healthy one sometimes fetched it first (under load in CI), and the dead one waited for it in vain
    await worker?.stop({ timeoutMs: 5_000 });
    const { run } = await requestTraining({ workspaceId, requestedById: adminId });
    const id = await takenByDeadWorker(QUEUES.train);
    worker = await startWorker({ pollingIntervalSeconds: 0.5, hasSweep: false, log: () => {} });
    const boss = await getBoss();
    // the attempt finished the run (and registered its version) but its worker was presumed dead before it reported
    await getPool().query(`UPDATE training_run SET status = 'done', finished_at = now(), message = 'finished by the first attempt' WHERE id = $1`, [run.id]);
    const [runs, versions] = [await count("training_run"), await count("model_version")];
    await getPool().query(`UPDATE pgboss.job SET started_on = now() - interval '60 seconds' WHERE id = $1`, [id]);
    expect(await failStaleJobs(boss)).toBe(1);
    // the healthy worker takes the retry
    await waitFor("the retried training job to end", async () => {
      const state = (await boss.getJobById(QUEUES.train, id))?.state;
      return state === "completed" || state === "failed";
    });
    expect(await count("training_run")).toBe(runs);
    expect(await count("model_version")).toBe(versions);
  }, 90_000);
});
