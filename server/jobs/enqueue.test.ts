import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../test/test-db.ts";
import { getBoss, stopBoss } from "./boss.ts";
import { enqueueRequeue, enqueueScoring, enqueueTraining } from "./enqueue.ts";
import { findWorkspacesWithUnscoredExcerpts } from "./find-workspaces-with-unscored-excerpts.ts";
import { QUEUES } from "./queues.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await stopBoss({ graceful: false });
  await testDb?.drop();
});

describe("enqueue (pg-boss on real PostgreSQL)", () => {
  it("folds repeated scoring requests into one waiting job per workspace", async () => {
    const first = await enqueueScoring(101);
    expect(first.isAlreadyQueued).toBe(false);
    expect(first.jobId).toMatch(/^[0-9a-f-]{36}$/);
    // An import calling this after every batch must not flood the queue.
    for (let i = 0; i < 5; i++) expect(await enqueueScoring(101)).toEqual({ jobId: null, isAlreadyQueued: true });
    const other = await enqueueScoring(102);
    expect(other.isAlreadyQueued).toBe(false);
    const boss = await getBoss();
    expect(await boss.getQueueSize(QUEUES.score)).toBe(2);
  });

  it("keeps one waiting training and one waiting requeue per workspace", async () => {
    const training = await enqueueTraining({ workspaceId: 7, trainedById: null });
    expect(training.isAlreadyQueued).toBe(false);
    expect((await enqueueTraining({ workspaceId: 7, trainedById: 3 })).isAlreadyQueued).toBe(true);
    const boss = await getBoss();
    const job = await boss.getJobById(QUEUES.train, training.jobId!);
    expect(job?.data).toEqual({ workspaceId: 7, trainedById: null });
    expect((await enqueueRequeue(7)).isAlreadyQueued).toBe(false);
    expect((await enqueueRequeue(7)).isAlreadyQueued).toBe(true);
  });

  it("creates its queues idempotently when a second process starts", async () => {
    await stopBoss();
    const boss = await getBoss();
    expect(
      (await boss.getQueues())
        .map((q) => q.name)
        .filter((n) => !n.startsWith("__pgboss"))
        .sort(),
    ).toEqual(Object.values(QUEUES).sort());
    // the jobs enqueued before the restart are still there: they live in PostgreSQL
    expect(await boss.getQueueSize(QUEUES.score)).toBe(2);
  });
});

describe("findWorkspacesWithUnscoredExcerpts", () => {
  it("lists workspaces whose active model has not scored every excerpt", async () => {
    const prisma = testDb.prisma;
    const make = async (slug: string) => {
      const ws = await prisma.workspace.create({ data: { slug, name: slug } });
      const cat = await prisma.category.create({ data: { workspaceId: ws.id, name: "Non-toxic", isNonToxic: true } });
      const excerpt = await prisma.excerpt.create({ data: { workspaceId: ws.id, dedupKey: `${slug}-1`, text: "gg wp" } });
      return { ws, cat, excerpt };
    };
    const noModel = await make("no-model");
    const unscored = await make("unscored");
    const scored = await make("scored");
    for (const w of [unscored, scored]) {
      const mv = await prisma.modelVersion.create({
        data: {
          workspaceId: w.ws.id,
          version: "v1",
          kind: "hashed-linear",
          status: "active",
          manifest: {},
          onnx: new Uint8Array([1]),
          categoryIds: [w.cat.id],
        },
      });
      await prisma.workspace.update({ where: { id: w.ws.id }, data: { activeModelVersionId: mv.id } });
      if (w === scored) {
        await prisma.prediction.create({
          data: { excerptId: w.excerpt.id, modelVersionId: mv.id, probs: [1], toxicScore: 0, suggestedCategoryId: w.cat.id, confidence: 1 },
        });
      }
    }
    expect(await findWorkspacesWithUnscoredExcerpts()).toEqual([unscored.ws.id]);
    expect(noModel.ws.id).toBeGreaterThan(0);
  });
});
