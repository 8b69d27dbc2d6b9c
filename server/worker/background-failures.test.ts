import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as jobs } from "@/app/api/w/[workspace]/jobs/route.ts";
import { createSession } from "../auth/session.ts";
import { getPool } from "../db/pool.ts";
import { DEMO_WORKSPACE_SLUG, seedDemoWorkspace } from "../demo/seed-demo-workspace.ts";
import { importRecords } from "../ingest/import-records.ts";
import { getBoss, stopBoss } from "../jobs/boss.ts";
import { failStaleJobs } from "../jobs/fail-stale-jobs.ts";
import { QUEUES, workspaceKey } from "../jobs/queues.ts";
import { requestTraining } from "../registry/request-training.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { startWorker, type TWorkerHandle } from "./worker.ts";

/**
 * Issue 13: a background task that fails for good is shown where the user looks (GET …/jobs, which the
 * banner on the workspace's pages reads), with its reason, until the task next succeeds — through a real
 * worker on real PostgreSQL, and for a training job whose worker died on its last attempt.
 */

type THandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ORIGIN = "http://modloop.test";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: TWorkerHandle | undefined;
let dead: PgBoss;
let workspaceId: number;
let adminId: number;
const tokens = { admin: "", moderator: "" };

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function listFailures(who: keyof typeof tokens): Promise<{ status: number; body: { failures?: { task: string; reason: string; failures: number }[] } }> {
  const req = new Request(`${ORIGIN}/api/w/${DEMO_WORKSPACE_SLUG}/jobs`, { headers: { cookie: `modloop_session=${tokens[who]}` } });
  const res = await (jobs as THandler)(req, { params: Promise.resolve({ workspace: DEMO_WORKSPACE_SLUG }) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  workspaceId = (await seedDemoWorkspace({ conversations: 4, hasReviewHistory: false })).workspaceId;
  adminId = (await testDb.prisma.user.findFirstOrThrow({ where: { role: "admin" } })).id;
  tokens.admin = (await createSession(adminId)).token;
  const { rows } = await getPool().query<{ id: number }>(
    `INSERT INTO app_user (email, name, password_hash, role) VALUES ('mod-bf@x.test', 'Mod', 'x', 'moderator') RETURNING id`,
  );
  await getPool().query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, 'moderator')`, [workspaceId, rows[0]!.id]);
  tokens.moderator = (await createSession(rows[0]!.id)).token;
  await getBoss();
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

describe("background failures shown to the user", () => {
  it("scoring that fails on its last attempt is listed with its reason until a later scoring run succeeds", async () => {
    const pool = getPool();
    const { rows: ws } = await pool.query<{ active: number }>(`SELECT active_model_version_id AS active FROM workspace WHERE id = $1`, [workspaceId]);
    const goodModel = ws[0]!.active;
    // an active version whose ONNX bytes are garbage: every scoring attempt fails the same way
    const { rows: broken } = await pool.query<{ id: number }>(
      `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids)
       SELECT workspace_id, 'v-broken', kind, 'candidate', manifest, '\\x00', category_ids FROM model_version WHERE id = $1 RETURNING id`,
      [goodModel],
    );
    await pool.query(`UPDATE workspace SET active_model_version_id = $2 WHERE id = $1`, [workspaceId, broken[0]!.id]);
    await importRecords({
      workspaceId,
      userId: adminId,
      records: Array.from({ length: 5 }, (_, i) => ({ external_id: `bf-${i}`, text: `never scored ${i}` })),
    });
    expect((await listFailures("admin")).body.failures).toEqual([]);

    worker = await startWorker({ pollingIntervalSeconds: 0.5, only: ["score"], log: () => {} });
    const boss = await getBoss();
    // no retries left on this one, so its first failure is final
    await boss.send(QUEUES.score, { workspaceId }, { singletonKey: workspaceKey(workspaceId), retryLimit: 0 });
    const listed = await waitFor("the scoring failure to be listed", async () => {
      const { body } = await listFailures("admin");
      return body.failures?.find((f) => f.task === "score");
    });
    expect(listed.reason.length).toBeGreaterThan(0);
    expect(listed.failures).toBe(1);
    // moderators cannot act on it and are not shown it
    expect((await listFailures("moderator")).status).toBe(403);

    // the admin rolls back to the working model: the next scoring run succeeds and the failure is gone
    await pool.query(`UPDATE workspace SET active_model_version_id = $2 WHERE id = $1`, [workspaceId, goodModel]);
    await boss.send(QUEUES.score, { workspaceId }, { singletonKey: workspaceKey(workspaceId), retryLimit: 0 });
    await waitFor("the scoring failure to be cleared", async () => (await listFailures("admin")).body.failures?.length === 0);
    const { rows: pending } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM excerpt e WHERE e.workspace_id = $1 AND e.external_id LIKE 'bf-%'
          AND NOT EXISTS (SELECT 1 FROM prediction p WHERE p.excerpt_id = e.id AND p.model_version_id = $2)`,
      [workspaceId, goodModel],
    );
    expect(pending[0]!.n).toBe(0);
  }, 90_000);

  it("a training job whose worker dies on its last attempt ends failed (not 'training' forever) and is listed", async () => {
    const boss = await getBoss();
    const { run } = await requestTraining({ workspaceId, requestedById: adminId });
    const job = await waitFor("the training job to take", async () => (await dead.fetch(QUEUES.train))[0]);
    // runTraining had started the run on the attempt that has no retry after it, then the worker died
    await getPool().query(`UPDATE training_run SET status = 'training', started_at = now() WHERE id = $1`, [run.id]);
    await getPool().query(`UPDATE pgboss.job SET retry_count = retry_limit, started_on = now() - interval '120 seconds' WHERE id = $1`, [job.id]);
    expect(await failStaleJobs(boss)).toBe(1);
    const { rows } = await getPool().query<{ status: string; message: string }>(`SELECT status, message FROM training_run WHERE id = $1`, [run.id]);
    expect(rows[0]!.status).toBe("failed");
    expect(rows[0]!.message).toMatch(/stopped.*last attempt.*start training again/i);
    const { body } = await listFailures("admin");
    expect(body.failures?.map((f) => f.task)).toEqual(["train"]);
    expect(body.failures?.[0]?.reason).toMatch(/worker stopped/);
  }, 60_000);
});
