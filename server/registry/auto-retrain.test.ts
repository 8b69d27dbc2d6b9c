import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RETRAIN_EVERY, MIN_GOLD_FOR_AUTO_PROMOTION } from "@/lib/registry/auto-retrain.ts";
import { getPool } from "../db/pool.ts";
import { getBoss, stopBoss } from "../jobs/boss.ts";
import { QUEUES } from "../jobs/queues.ts";
import { runSweep } from "../worker/worker.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { requeueWorkspace } from "../queue/requeue-workspace.ts";
import { seedModelFixture, type TModelFixture } from "../model/model-fixtures.ts";
import { scorePendingExcerpts } from "../model/score-pending-excerpts.ts";
import { trainModelVersion } from "./train-model-version.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { listModelVersions } from "./list-model-versions.ts";
import { readRetrainFacts } from "./request-due-retrains.ts";
import { runTraining } from "./run-training.ts";

/**
 * Automatic retrain end to end, as the worker runs it: the sweep (runSweep) requests a run once enough
 * new human labels have come in, the training job (runTraining) trains, evaluates and promotes the
 * version only when it is not worse on the gold set, and the requeue job the promotion queues re-ranks
 * and re-spaces the open queue (requeueWorkspace, what the requeue job runs).
 */

const RETRAIN_EVERY = 50;
const HELD_OUT = 64;

let drop: () => Promise<void>;
let fx: TModelFixture;

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await getPool().query(sql, params)).rows[0] as T;
}

async function drainScoring(workspaceId: number): Promise<void> {
  while ((await scorePendingExcerpts({ workspaceId })).scored > 0);
}

async function setUpWorkspace(f: TModelFixture): Promise<void> {
  await trainModelVersion({ workspaceId: f.workspaceId, trainedById: f.userId, activate: true });
  await drainScoring(f.workspaceId);
}

const KIND_OF = ["ok", "ok", "insult", "profanity"] as const;

/**
 * Moderators label `n` of the fixture's unlabelled lines (the fixture's kind by its index, or the next
 * category round when isWrong), the way submitDecision leaves things: a decision, the derived label,
 * the queue item closed. Returns the decision ids.
 */
async function label(
  f: TModelFixture,
  n: number,
  opts: { isWrong?: boolean; isAudit?: boolean; origin?: "queue" | "review" | "import" } = {},
): Promise<string[]> {
  const pool = getPool();
  const { rows } = await pool.query<{ id: string; text: string }>(
    `SELECT id::text, text FROM excerpt WHERE workspace_id = $1 AND current_category_id IS NULL AND NOT held_out ORDER BY id LIMIT $2`,
    [f.workspaceId, n],
  );
  expect(rows).toHaveLength(n);
  const { ok, insult, profanity } = f.categoryIds;
  const ids: string[] = [];
  for (const r of rows) {
    const kind = KIND_OF[Number(r.text.match(/ u(\d+)$/)![1]) % 4];
    const right = { ok, insult, profanity }[kind];
    const categoryId = opts.isWrong ? { ok: insult, insult: profanity, profanity: ok }[kind] : right;
    const { rows: d } = await pool.query<{ id: string }>(
      `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, is_audit) VALUES ($1, $2::bigint, $3, 'label', $4, $5, $6) RETURNING id::text`,
      [f.workspaceId, r.id, f.userId, opts.origin ?? "queue", categoryId, opts.isAudit ?? false],
    );
    await pool.query(`UPDATE excerpt SET current_category_id = $2 WHERE id = $1::bigint`, [r.id, categoryId]);
    await pool.query(`UPDATE queue_item SET is_open = false WHERE excerpt_id = $1::bigint`, [r.id]);
    ids.push(d[0].id);
  }
  return ids;
}

/** A moderator undoes a label: the reversal decision, the label cleared, the item back in the queue. */
async function undo(f: TModelFixture, decisionId: string): Promise<void> {
  const pool = getPool();
  const { excerpt_id } = await one<{ excerpt_id: string }>(`SELECT excerpt_id::text FROM decision WHERE id = $1::bigint`, [decisionId]);
  await pool.query(
    `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, reverses_id) VALUES ($1, $2::bigint, $3, 'reversal', 'queue', $4::bigint)`,
    [f.workspaceId, excerpt_id, f.userId, decisionId],
  );
  await pool.query(`UPDATE excerpt SET current_category_id = NULL WHERE id = $1::bigint`, [excerpt_id]);
  await pool.query(`UPDATE queue_item SET is_open = true WHERE excerpt_id = $1::bigint`, [excerpt_id]);
}

async function factsOf(f: TModelFixture) {
  const [facts] = await readRetrainFacts({ workspaceId: f.workspaceId });
  return facts;
}

async function activeOf(f: TModelFixture): Promise<number | null> {
  return (await one<{ id: number | null }>(`SELECT active_model_version_id AS id FROM workspace WHERE id = $1`, [f.workspaceId])).id;
}

async function runsOf(f: TModelFixture) {
  return (
    await getPool().query<{ id: number; is_auto: boolean; status: string; message: string; requested_by_id: number | null; model_version_id: number | null }>(
      `SELECT id, is_auto, status, message, requested_by_id, model_version_id FROM training_run WHERE workspace_id = $1 ORDER BY id`,
      [f.workspaceId],
    )
  ).rows;
}

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  fx = await seedModelFixture({ labelled: 60, unlabelled: 480, heldOut: HELD_OUT });
  await setUpWorkspace(fx);
}, 120_000);

afterAll(async () => {
  await stopBoss({ graceful: false });
  await releaseModelSessions();
  await drop();
});

describe("automatic retrain: when it is due", () => {
  it("is on for a new workspace (every 200 labels) and off for one an admin turned off", async () => {
    expect(await one(`SELECT retrain_every FROM workspace WHERE id = $1`, [fx.workspaceId])).toEqual({ retrain_every: DEFAULT_RETRAIN_EVERY });
    const { rows } = await getPool().query<{ id: number }>(`INSERT INTO workspace (slug, name, retrain_every) VALUES ('off', 'off', NULL) RETURNING id`);
    expect((await readRetrainFacts()).map((f) => f.workspaceId)).not.toContain(rows[0].id);
    await expect(getPool().query(`UPDATE workspace SET retrain_every = 10 WHERE id = $1`, [fx.workspaceId])).rejects.toThrow(/workspace_retrain_every_check/);
    await getPool().query(`UPDATE workspace SET retrain_every = $2 WHERE id = $1`, [fx.workspaceId, RETRAIN_EVERY]);
  });

  it("counts people's labels since the last model, not imports, audit labels, gold or undone ones", async () => {
    expect(await factsOf(fx)).toMatchObject({ retrainEvery: RETRAIN_EVERY, hasActiveModel: true, hasUnfinishedRun: false, newLabels: 0 });
    await label(fx, 5, { origin: "import" });
    await label(fx, 5, { isAudit: true }); // the random audit slice: gold, never trained on
    const { rows: gold } = await getPool().query<{ id: string }>(`SELECT id::text FROM excerpt WHERE workspace_id = $1 AND held_out LIMIT 2`, [fx.workspaceId]);
    for (const g of gold) {
      await getPool().query(
        `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id) VALUES ($1, $2::bigint, $3, 'label', 'review', $4)`,
        [fx.workspaceId, g.id, fx.userId, fx.categoryIds.ok],
      );
    }
    expect((await factsOf(fx)).newLabels).toBe(0);

    const decided = await label(fx, RETRAIN_EVERY - 1);
    await label(fx, 1, { origin: "review" }); // a label set on the excerpt page counts too
    expect((await factsOf(fx)).newLabels).toBe(RETRAIN_EVERY);
    await undo(fx, decided[0]);
    expect((await factsOf(fx)).newLabels).toBe(RETRAIN_EVERY - 1);
  });

  it("the sweep requests nothing one label short, and one automatic run once the labels are there", async () => {
    const short = await runSweep();
    expect(short.retrains).toEqual([]);
    expect(await runsOf(fx)).toEqual([]);

    await label(fx, 1);
    const swept = await runSweep();
    expect(swept.retrains).toEqual([{ workspaceId: fx.workspaceId, newLabels: RETRAIN_EVERY, trainingRunId: expect.any(Number), isAlreadyRunning: false }]);
    const runs = await runsOf(fx);
    expect(runs).toEqual([
      expect.objectContaining({
        is_auto: true,
        status: "queued",
        requested_by_id: null,
        message: expect.stringMatching(/^Automatic retrain: 50 new labels since the last training/),
      }),
    ]);
    expect(await (await getBoss()).getQueueSize(QUEUES.train)).toBe(1);

    // while it is unfinished, later sweeps do not stack another one
    await label(fx, RETRAIN_EVERY);
    expect((await runSweep()).retrains).toEqual([]);
    expect(await factsOf(fx)).toMatchObject({ hasUnfinishedRun: true });
    expect(await runsOf(fx)).toHaveLength(1);
  });
});

describe("automatic retrain: what happens to the new version", () => {
  it("a version not worse on the gold set is promoted, and the queue is re-ranked and re-spaced", async () => {
    const before = await activeOf(fx);
    const boss = await getBoss();
    await boss.purgeQueue(QUEUES.requeue);
    const result = await runTraining({ workspaceId: fx.workspaceId }); // the training job's handler
    expect(result).toMatchObject({ status: "done", isAuto: true, isPromoted: true });
    expect(result.message).toMatch(
      /on \d+ gold labels; promoted automatically: (not worse than|lower than) linear-\S+ on the gold set (only within noise )?\(macro F1 \d\.\d{3} vs \d\.\d{3}/,
    );
    const newId = result.modelVersionId!;
    expect(newId).not.toBe(before);
    expect(await activeOf(fx)).toBe(newId);
    expect(await one(`SELECT status::text FROM model_version WHERE id = $1`, [before])).toEqual({ status: "archived" });
    expect(await runsOf(fx)).toEqual([expect.objectContaining({ is_auto: true, status: "done", model_version_id: newId })]);

    // promotion queued the background re-rank; its handler spaces the head after requeueing
    expect(await boss.getQueueSize(QUEUES.requeue)).toBe(1);
    await drainScoring(fx.workspaceId);
    const requeued = await requeueWorkspace({ workspaceId: fx.workspaceId });
    expect(requeued.spaced.demoted).toBeGreaterThan(0); // the fixture's lines repeat: look-alikes wait
    const head = await one<{ demoted: number; stale: number }>(
      `SELECT count(*) FILTER (WHERE q.priority < 0)::int AS demoted, count(*) FILTER (WHERE p.model_version_id <> $2)::int AS stale
         FROM queue_item q JOIN prediction p ON p.id = q.prediction_id WHERE q.workspace_id = $1 AND q.is_open AND NOT q.is_audit`,
      [fx.workspaceId, newId],
    );
    expect(head).toEqual({ demoted: requeued.spaced.demoted, stale: 0 });

    // the run is labelled with the labels that triggered it, whatever the setting is now
    const setting = await one<{ retrain_every: number }>(`SELECT retrain_every FROM workspace WHERE id = $1`, [fx.workspaceId]);
    await getPool().query(`UPDATE workspace SET retrain_every = 1000 WHERE id = $1`, [fx.workspaceId]);
    const registry = await listModelVersions({ workspaceId: fx.workspaceId });
    await getPool().query(`UPDATE workspace SET retrain_every = $2 WHERE id = $1`, [fx.workspaceId, setting.retrain_every]);
    expect(registry.versions[0]).toMatchObject({ id: newId, status: "active", trainedBy: null, isAutoTrained: true });
    expect(registry.versions[1]).toMatchObject({ isAutoTrained: false, trainedBy: "ds" });
    expect(registry.runs[0]).toMatchObject({ isAuto: true, requestedBy: null, requestedByLabel: `automatic, after ${RETRAIN_EVERY} new labels` });

    // the count starts again from this run: the labels made before it are in the new version
    expect((await factsOf(fx)).newLabels).toBe(0);
  });

  it("a version worse on the gold set stays a candidate, and the run says why", async () => {
    // moderators label a long stretch wrongly (ok → insult → profanity → ok): the gold set shows it
    await label(fx, 300, { isWrong: true });
    const active = await activeOf(fx);
    const swept = await runSweep();
    expect(swept.retrains).toMatchObject([{ workspaceId: fx.workspaceId, newLabels: 300 }]);
    const result = await runTraining({ workspaceId: fx.workspaceId });
    expect(result).toMatchObject({ status: "done", isAuto: true, isPromoted: false });
    expect(result.message).toMatch(
      /kept as a candidate: (macro|binary) F1 on the gold set \d\.\d{3} vs active \d\.\d{3} \(linear-\S+\); compare them in the registry/,
    );
    expect(await activeOf(fx)).toBe(active);
    expect(await one(`SELECT status::text FROM model_version WHERE id = $1`, [result.modelVersionId])).toEqual({ status: "candidate" });
    const runs = await runsOf(fx);
    expect(runs.at(-1)).toMatchObject({ is_auto: true, status: "done", message: result.message, model_version_id: result.modelVersionId });
  });

  it("without a big enough gold set the version stays a candidate, and the run says what is missing", async () => {
    const small = await seedModelFixture({ slug: "ws-small-gold", labelled: 60, unlabelled: 80, heldOut: 10 });
    await setUpWorkspace(small);
    await getPool().query(`UPDATE workspace SET retrain_every = $2 WHERE id = $1`, [small.workspaceId, RETRAIN_EVERY]);
    await label(small, RETRAIN_EVERY);
    const swept = await runSweep();
    expect(swept.retrains.map((r) => r.workspaceId)).toEqual([small.workspaceId]);
    const active = await activeOf(small);
    const result = await runTraining({ workspaceId: small.workspaceId });
    expect(result).toMatchObject({ status: "done", isAuto: true, isPromoted: false });
    expect(result.message).toContain(`kept as a candidate: the gold set has 10 labels and automatic promotion needs at least ${MIN_GOLD_FOR_AUTO_PROMOTION}`);
    expect(await activeOf(small)).toBe(active);
  });

  it("a manual run is never promoted automatically", async () => {
    const active = await activeOf(fx);
    const result = await runTraining({ workspaceId: fx.workspaceId, trainedById: fx.userId });
    expect(result).toMatchObject({ status: "done", isAuto: false, isPromoted: false });
    expect(result.message).not.toMatch(/promoted|kept as a candidate/);
    expect(await activeOf(fx)).toBe(active);
  });
});
