import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { seedDemoWorkspace } from "../demo/seed-demo-workspace.ts";
import { importRecords } from "../ingest/import-records.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { getBoss, stopBoss } from "../jobs/boss.ts";
import { enqueueRequeue, enqueueScoring, enqueueTraining } from "../jobs/enqueue.ts";
import { QUEUES } from "../jobs/queues.ts";
import { runSweep, startWorker, type TWorkerHandle } from "./worker.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let workspaceId: number;
let adminId: number;
let worker: TWorkerHandle;
const logs: string[] = [];

async function unscoredCount(): Promise<number> {
  const { rows } = await getPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM excerpt e JOIN workspace w ON w.id = e.workspace_id
      WHERE w.id = $1 AND NOT EXISTS (SELECT 1 FROM prediction p WHERE p.excerpt_id = e.id AND p.model_version_id = w.active_model_version_id)`,
    [workspaceId],
  );
  return rows[0]!.n;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; worker log: ${logs.join(" | ")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function importFreshLines(prefix: string, n: number) {
  const records = Array.from({ length: n }, (_, i) => ({
    external_id: `${prefix}-${i}`,
    text: i % 3 === 0 ? `report ${prefix} player ${i}, you are useless` : `rotate B site after the smoke ${i}`,
    conversation_id: `${prefix}-match`,
    speaker_id: `p${i % 4}`,
  }));
  const summary = await importRecords({ workspaceId, userId: adminId, records, filename: `${prefix}.jsonl` });
  expect(summary.insertedRows).toBe(n);
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  // A tiny demo workspace: taxonomy, labels and an active default model to score with.
  const seeded = await seedDemoWorkspace({ conversations: 4, hasReviewHistory: false });
  workspaceId = seeded.workspaceId;
  adminId = (await testDb.prisma.user.findFirstOrThrow({ where: { role: "admin" } })).id;
  worker = await startWorker({ pollingIntervalSeconds: 0.5, log: (m) => logs.push(m) });
}, 120_000);

afterAll(async () => {
  await worker?.stop({ timeoutMs: 5_000 });
  await stopBoss({ graceful: false });
  await testDb?.drop();
});

describe("background worker on real PostgreSQL", () => {
  it("scores excerpts imported after it started, once enqueued", async () => {
    await importFreshLines("late", 40);
    expect(await unscoredCount()).toBe(40);
    const { jobId } = await enqueueScoring(workspaceId);
    expect(jobId).not.toBeNull();
    await waitFor("the new excerpts to be scored", async () => (await unscoredCount()) === 0);
    const boss = await getBoss();
    const job = await waitFor("the job to complete", async () => {
      const j = await boss.getJobById(QUEUES.score, jobId!);
      return j?.state === "completed" ? j : null;
    });
    expect(job.output).toMatchObject({ scored: 40, isContinued: false });
  });

  it("hands a long backlog to follow-up jobs instead of holding one job past its slice", async () => {
    await worker.stop({ timeoutMs: 5_000 });
    const sliced = await startWorker({ pollingIntervalSeconds: 0.5, scoreSliceMs: -1, hasSweep: false, log: (m) => logs.push(m) });
    try {
      await importFreshLines("backlog", 30);
      await enqueueScoring(workspaceId);
      await waitFor("the backlog to be scored", async () => (await unscoredCount()) === 0);
      // the job logs the hand-over only after re-enqueueing and spacing the queue head, which can finish
      // well after the scores are visible (it raced on a loaded machine)
      await waitFor("the hand-over to a new job", async () => logs.some((m) => m.includes("continuing in a new job")));
    } finally {
      await sliced.stop({ timeoutMs: 5_000 });
    }
    worker = await startWorker({ pollingIntervalSeconds: 0.5, log: (m) => logs.push(m) });
  });

  it("recovers lost work: the sweep enqueues scoring for workspaces with unscored excerpts", async () => {
    await importFreshLines("lost", 10);
    // No enqueueScoring here (as if the process died right after the import). Run the sweep now
    // rather than waiting for the minute boundary its cron fires on.
    const boss = await getBoss();
    await boss.send(QUEUES.sweep, {});
    await waitFor("the swept workspace to be scored", async () => (await unscoredCount()) === 0);
  });

  it("the sweep leaves a freshly seeded demo alone: its labels were imported, not new moderator labels", async () => {
    expect(await testDb.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).toMatchObject({ retrainEvery: 200 });
    expect((await runSweep()).retrains).toEqual([]);
    expect(await testDb.prisma.trainingRun.count()).toBe(0);
  });

  it("trains a candidate model without activating it", async () => {
    const before = await testDb.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
    const { jobId } = await enqueueTraining({ workspaceId, trainedById: adminId });
    const boss = await getBoss();
    await waitFor("training to finish", async () => (await boss.getJobById(QUEUES.train, jobId!))?.state === "completed", 60_000);
    const versions = await testDb.prisma.modelVersion.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
    expect(versions).toHaveLength(2);
    expect(versions[1]).toMatchObject({ status: "candidate", trainedById: adminId });
    const after = await testDb.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
    expect(after.activeModelVersionId).toBe(before.activeModelVersionId);
  });

  it("runs a requeue job to completion", async () => {
    const { jobId } = await enqueueRequeue(workspaceId);
    const boss = await getBoss();
    const job = await waitFor("the requeue job", async () => {
      const j = await boss.getJobById(QUEUES.requeue, jobId!);
      return j && ["completed", "failed"].includes(j.state) ? j : null;
    });
    expect(job.state).toBe("completed");
  });
});
