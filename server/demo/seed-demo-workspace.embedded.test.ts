import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { migrate } from "../db/migrate.ts";
import { closePools, getPool } from "../db/pool.ts";
import { importRecords } from "../ingest/import-records.ts";
import { stopBoss } from "../jobs/boss.ts";
import { claimItems } from "../queue/claim-items.ts";
import { submitDecision } from "../queue/submit-decision.ts";
import { createSnapshot } from "../export/create-snapshot.ts";
import { runSnapshotJob } from "../export/run-snapshot-job.ts";
import { enqueueScoring } from "../jobs/enqueue.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { startWorker, type TWorkerHandle } from "../worker/worker.ts";
import { freePort } from "../test/free-port.ts";
import { seedDemoWorkspace } from "./seed-demo-workspace.ts";

/**
 * The zero-setup path `npm start` takes without DATABASE_URL, end to end on the embedded
 * PostgreSQL (PGlite over its socket server): migrate, seed (import without COPY, train, score),
 * then pg-boss and the worker scoring a later import. Everything else in the suite runs on the
 * real server; this file proves the embedded default keeps working.
 */

let dir: string;
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
let worker: TWorkerHandle | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "modloop-embedded-"));
  embedded = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
  process.env.DATABASE_URL = embedded.url;
  process.env.MODLOOP_DB_KIND = "pglite";
  await migrate(embedded.url);
}, 120_000);

afterAll(async () => {
  await worker?.stop({ timeoutMs: 5_000 });
  await stopBoss({ graceful: false });
  await closePools();
  await embedded?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the embedded default (PGlite)", () => {
  it("seeds the demo workspace, and seeding again changes nothing", async () => {
    const seeded = await seedDemoWorkspace({ conversations: 6 });
    expect(seeded.importedExcerpts).toBeGreaterThan(100);
    expect(seeded.trainedModelVersionId).not.toBeNull();
    const excerpts = await db().excerpt.count();
    const workspace = await db().workspace.findFirstOrThrow();
    // every excerpt is scored by the active model (the review history promoted a second version)
    expect(workspace.activeModelVersionId).toBe(seeded.trainedModelVersionId);
    expect(await db().prediction.count({ where: { modelVersionId: workspace.activeModelVersionId! } })).toBe(excerpts);
    expect(await db().decision.count({ where: { origin: "queue" } })).toBeGreaterThan(0);
    // both versions are measured on the same gold set, so the registry opens side by side
    const { rows: evaluated } = await getPool().query<{ n: number | null }>(`SELECT (metrics->'evaluation'->>'n')::int AS n FROM model_version ORDER BY id`);
    expect(evaluated).toHaveLength(2);
    expect(evaluated[0].n).toBeGreaterThan(0);
    expect(evaluated[1].n).toBe(evaluated[0].n);
    // the second training cross-fitted (out-of-fold probabilities stored) and ran label-error detection
    const { rows: oof } = await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM model_out_of_fold`);
    expect(oof[0].n).toBeGreaterThan(0);
    expect((await getPool().query(`SELECT count(*)::int AS n FROM label_suspect`)).rows[0].n).toBeGreaterThanOrEqual(0);
    const again = await seedDemoWorkspace({ conversations: 6 });
    expect(again).toMatchObject({ createdUsers: 0, importedExcerpts: 0, trainedModelVersionId: null, scoredExcerpts: 0 });
  }, 120_000);

  it("runs pg-boss and the worker: a later import gets scored", async () => {
    worker = await startWorker({ pollingIntervalSeconds: 0.5, log: () => {} });
    const workspace = await db().workspace.findFirstOrThrow();
    const admin = await db().user.findFirstOrThrow({ where: { role: "admin" } });
    const summary = await importRecords({
      workspaceId: workspace.id,
      userId: admin.id,
      records: Array.from({ length: 25 }, (_, i) => ({ external_id: `later-${i}`, text: `push mid after ${i} seconds`, conversation_id: "later" })),
    });
    expect(summary.insertedRows).toBe(25);
    await enqueueScoring(workspace.id);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await getPool().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM excerpt e WHERE NOT EXISTS (SELECT 1 FROM prediction p WHERE p.excerpt_id = e.id AND p.model_version_id = $1)`,
        [workspace.activeModelVersionId],
      );
      if (rows[0]!.n === 0) break;
      if (Date.now() > deadline) throw new Error(`${rows[0]!.n} excerpts still unscored after 30 s on the embedded database`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 60_000);

  it("serves the review queue: two moderators claim disjoint cards on pooled connections", async () => {
    // PGlite runs every connection in one session; named prepared statements used to collide there.
    const workspace = await db().workspace.findFirstOrThrow();
    const moderators = await db().user.findMany({ where: { role: "moderator" }, orderBy: { id: "asc" } });
    expect(moderators).toHaveLength(2);
    const [a, b] = await Promise.all(moderators.map((m) => claimItems({ workspaceId: workspace.id, userId: m.id, limit: 5 })));
    expect(a!.length).toBe(5);
    expect(b!.length).toBe(5);
    const idsA = new Set(a!.map((c) => String(c.excerptId)));
    expect(b!.some((c) => idsA.has(String(c.excerptId)))).toBe(false);
  }, 60_000);

  it("serves the queue page's first claim with highlights while the model is not loaded yet (it deadlocked the embedded database)", async () => {
    // The page's claim runs one at a time per moderator, in a transaction. Highlighting loads the model
    // version on another connection; on PGlite that connection waits for the transaction's session, so
    // highlighting inside the transaction hung the claim and then every request (the first `npm start`).
    await releaseModelSessions();
    const workspace = await db().workspace.findFirstOrThrow();
    const moderator = await db().user.findFirstOrThrow({ where: { role: "moderator" }, orderBy: { id: "desc" } });
    let timer: NodeJS.Timeout | undefined;
    const cards = await Promise.race([
      claimItems({ workspaceId: workspace.id, userId: moderator.id, limit: 3, isOneAtATime: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("the one-at-a-time claim did not answer within 15 s")), 15_000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.some((c) => c.explanation !== null)).toBe(true);
  }, 60_000);

  it("takes concurrent requests, a snapshot and the worker at once (issue 13: 'bind message supplies 3 parameters' before)", async () => {
    const workspace = await db().workspace.findFirstOrThrow();
    const admin = await db().user.findFirstOrThrow({ where: { role: "admin" } });
    const moderators = await db().user.findMany({ where: { role: "moderator" }, orderBy: { id: "asc" } });
    // the worker scores a new import while a snapshot reads in its transaction and moderators claim,
    // decide and load pages (Prisma and pg on pooled connections, statements of different shapes)
    await importRecords({
      workspaceId: workspace.id,
      userId: admin.id,
      records: Array.from({ length: 40 }, (_, i) => ({ external_id: `busy-${i}`, text: `rotate top lane ${i}`, conversation_id: "busy" })),
    });
    await enqueueScoring(workspace.id);
    const snapshot = await createSnapshot({ workspaceId: workspace.id, userId: admin.id, params: { formats: ["jsonl"] }, run: "none" });
    const moderate = async (userId: number) => {
      for (let round = 0; round < 6; round++) {
        const cards = await claimItems({ workspaceId: workspace.id, userId, limit: 3 });
        for (const card of cards) await submitDecision({ workspaceId: workspace.id, userId, excerptId: String(card.excerptId), kind: "skip" });
        await db().excerpt.count({ where: { workspaceId: workspace.id, currentCategoryId: { not: null } } });
        await getPool().query(`SELECT count(*) FROM decision WHERE workspace_id = $1 AND user_id = $2 AND kind = $3`, [workspace.id, userId, "skip"]);
      }
    };
    const results = await Promise.allSettled([
      runSnapshotJob({ snapshotId: snapshot.id }),
      ...moderators.map((m) => moderate(m.id)),
      ...Array.from({ length: 6 }, (_, i) => getPool().query(`SELECT $1::int + $2::int + $3::int AS n`, [i, 1, 2])),
      ...Array.from({ length: 6 }, (_, i) => getPool().query(`SELECT $1::int + $2::int AS n`, [i, 1])),
    ]);
    const failures = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
    expect(failures).toEqual([]);
    const { rows } = await getPool().query<{ status: string }>(`SELECT status FROM dataset_snapshot WHERE id = $1`, [snapshot.id]);
    expect(rows[0].status).toBe("done");
  }, 120_000);
});
