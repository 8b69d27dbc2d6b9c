import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TVersionMetrics } from "@/lib/evaluation/index.ts";
import { binaryScores, predictAtThreshold } from "@/lib/metrics/index.ts";
import { getPool } from "../db/pool.ts";
import { calibrateThreshold } from "../evaluation/calibrate-threshold.ts";
import { compareWithActive } from "../evaluation/compare-with-active.ts";
import { getThresholdTradeoff } from "../evaluation/get-threshold-tradeoff.ts";
import { selectGoldSet } from "../evaluation/select-gold-set.ts";
import { getBoss, stopBoss } from "../jobs/boss.ts";
import { QUEUES } from "../jobs/queues.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { seedModelFixture, type TModelFixture } from "../model/model-fixtures.ts";
import { predictTexts } from "../model/predict-texts.ts";
import { requeueWorkspace } from "../queue/requeue-workspace.ts";
import { scorePendingExcerpts } from "../model/score-pending-excerpts.ts";
import { trainModelVersion } from "./train-model-version.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { listModelVersions } from "./list-model-versions.ts";
import { promoteModelVersion } from "./promote-model-version.ts";
import { requestTraining } from "./request-training.ts";
import { rollbackModelVersion } from "./rollback-model-version.ts";
import { runTraining } from "./run-training.ts";
import { scoreShadowExcerpts } from "./score-shadow-excerpts.ts";
import { setShadow } from "./set-shadow.ts";

let drop: () => Promise<void>;
let fx: TModelFixture;
const LABELLED = 240;
const HELD_OUT = 48;
const AUDITED = 24;

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await getPool().query(sql, params)).rows[0] as T;
}
async function metricsOf(id: number): Promise<TVersionMetrics> {
  return (await one<{ metrics: TVersionMetrics }>(`SELECT metrics FROM model_version WHERE id = $1`, [id])).metrics;
}
async function queueSize(name: string): Promise<number> {
  return (await getBoss()).getQueueSize(name);
}
async function drainScoring(): Promise<void> {
  while ((await scorePendingExcerpts({ workspaceId: fx.workspaceId })).scored > 0);
}

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  fx = await seedModelFixture({ labelled: LABELLED, unlabelled: 60, heldOut: HELD_OUT });
  const pool = getPool();
  // The first AUDITED labelled excerpts were labelled on the random audit slice; one of them was
  // later relabelled from the ranked queue (its standing label is no longer an audit one), and one
  // ranked-queue label was never audited.
  const { rows } = await pool.query<{ id: string; current_category_id: number }>(
    `SELECT id::text, current_category_id FROM excerpt WHERE workspace_id = $1 AND NOT held_out AND current_category_id IS NOT NULL ORDER BY id LIMIT $2`,
    [fx.workspaceId, AUDITED + 2],
  );
  for (const [i, r] of rows.entries()) {
    await pool.query(
      `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, is_audit) VALUES ($1, $2::bigint, $3, 'label', 'queue', $4, $5)`,
      [fx.workspaceId, r.id, fx.userId, r.current_category_id, i <= AUDITED],
    );
  }
  await pool.query(
    `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, is_audit) VALUES ($1, $2::bigint, $3, 'label', 'queue', $4, false)`,
    [fx.workspaceId, rows[AUDITED].id, fx.userId, rows[AUDITED].current_category_id],
  );
});

afterAll(async () => {
  await stopBoss({ graceful: false });
  await releaseModelSessions();
  await drop();
});

describe("the evaluation split", () => {
  it("is the held-out imports plus the standing audit-slice labels, and training never sees it", async () => {
    const gold = await selectGoldSet({ workspaceId: fx.workspaceId });
    expect(gold.heldOut).toBe(HELD_OUT);
    expect(gold.audit).toBe(AUDITED);
    expect(gold.items.length).toBe(HELD_OUT + AUDITED);

    const trained = await trainModelVersion({ workspaceId: fx.workspaceId });
    expect(trained.examples).toBe(LABELLED - AUDITED); // the retired-category label is skipped too
    const m = await metricsOf(trained.modelVersionId);
    expect(m.trainingSet).toMatchObject({ n: LABELLED - AUDITED, goldExcluded: HELD_OUT + AUDITED });
    expect(Object.values(m.trainingSet!.countsByCategory).reduce((a, b) => a + b, 0)).toBe(LABELLED - AUDITED);
    await getPool().query(`DELETE FROM model_version WHERE id = $1`, [trained.modelVersionId]);
  });
});

describe("train → evaluate → promote → rollback", () => {
  let goodId: number;
  let worseId: number;

  it("a requested training runs in the background: queued → done, with metrics stored", async () => {
    const { run, isAlreadyRunning } = await requestTraining({ workspaceId: fx.workspaceId, requestedById: fx.userId });
    expect(isAlreadyRunning).toBe(false);
    expect(run).toMatchObject({ status: "queued", requestedBy: "ds" });
    expect(await queueSize(QUEUES.train)).toBe(1);
    // a second click joins the unfinished run
    const again = await requestTraining({ workspaceId: fx.workspaceId, requestedById: fx.userId });
    expect(again).toMatchObject({ isAlreadyRunning: true, run: { id: run.id } });

    const statuses: string[] = [];
    const result = await runTraining({ workspaceId: fx.workspaceId, trainedById: fx.userId, onStatus: (s) => statuses.push(s) });
    expect(statuses).toEqual(["training", "evaluating", "done"]);
    expect(result).toMatchObject({ trainingRunId: run.id, status: "done" });
    goodId = result.modelVersionId!;

    const m = await metricsOf(goodId);
    const ev = m.evaluation!;
    expect(ev.n).toBe(HELD_OUT + AUDITED);
    expect(ev.goldSet).toMatchObject({ n: HELD_OUT + AUDITED, heldOut: HELD_OUT, audit: AUDITED });
    expect(Date.parse(ev.evaluatedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(ev.binary.f1).toBeGreaterThan(0.8);
    expect(ev.binary.rocAuc).toBeGreaterThan(0.8);
    expect(ev.fineGrained.macro!.f1).toBeGreaterThan(0.5);
    expect(ev.fineGrained.perCategory.map((c) => c.label)).toEqual(["Insult", "Non-toxic", "Profanity"]);
    expect(ev.categoryIds).toEqual([fx.categoryIds.insult, fx.categoryIds.ok, fx.categoryIds.profanity]);
    expect(ev.fineGrained.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(HELD_OUT + AUDITED);
    expect(ev.prCurve.precision.length).toBeGreaterThan(1);

    const registry = await listModelVersions({ workspaceId: fx.workspaceId });
    expect(registry.runs[0]).toMatchObject({ id: run.id, status: "done", modelVersionId: goodId });
    expect(registry.versions[0]).toMatchObject({ id: goodId, status: "candidate", trainedBy: "ds", isEvaluationStale: false });
    // what the models page's reliability diagram draws: ECE before/after calibration from training, bins from the gold set
    const cal = registry.versions[0].calibration!;
    expect(cal.fittedOn).toBe("out-of-fold");
    expect(typeof cal.before.ece).toBe("number");
    expect(typeof cal.after.ece).toBe("number");
    const bins = registry.versions[0].metrics.evaluation!.calibration!.reliability.bins;
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(HELD_OUT + AUDITED);
  });

  it("records a failure on the run with a message that says what to do", async () => {
    const { rows } = await getPool().query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('bare', 'bare') RETURNING id`);
    await requestTraining({ workspaceId: rows[0].id, requestedById: null });
    const result = await runTraining({ workspaceId: rows[0].id });
    expect(result.status).toBe("failed");
    expect(result.message).toMatch(/categor/);
    const run = await one<{ status: string; finished_at: Date | null }>(`SELECT status, finished_at FROM training_run WHERE id = $1`, [result.trainingRunId]);
    expect(run.status).toBe("failed");
    expect(run.finished_at).not.toBeNull();
  });

  it("a run no worker finished within the hour no longer blocks a new request", async () => {
    const { rows } = await getPool().query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('stale', 'stale') RETURNING id`);
    const { rows: old } = await getPool().query<{ id: number }>(
      `INSERT INTO training_run (workspace_id, status, created_at) VALUES ($1, 'queued', now() - interval '2 hours') RETURNING id`,
      [rows[0].id],
    );
    const { run, isAlreadyRunning } = await requestTraining({ workspaceId: rows[0].id, requestedById: null });
    expect(isAlreadyRunning).toBe(false);
    expect(run.id).not.toBe(old[0].id);
    expect(await one(`SELECT status, message FROM training_run WHERE id = $1`, [old[0].id])).toMatchObject({
      status: "failed",
      message: expect.stringMatching(/npm run worker/),
    });
  });

  it("promote makes a version active and queues re-scoring and re-ranking in the background", async () => {
    const boss = await getBoss();
    await boss.purgeQueue(QUEUES.score);
    const result = await promoteModelVersion({ workspaceId: fx.workspaceId, modelVersionId: goodId });
    expect(result.previousActiveId).toBeNull();
    expect(await one(`SELECT active_model_version_id AS id FROM workspace WHERE id = $1`, [fx.workspaceId])).toEqual({ id: goodId });
    expect(await one(`SELECT status::text FROM model_version WHERE id = $1`, [goodId])).toEqual({ status: "active" });
    expect(await queueSize(QUEUES.score)).toBeGreaterThanOrEqual(1);
    expect(await queueSize(QUEUES.requeue)).toBe(1);
    await drainScoring();
  });

  it("a version worse on the gold set is flagged and needs confirmation; rollback restores the previous one", async () => {
    // Train on systematically wrong labels (ok → insult → profanity → ok): confidently wrong.
    const pool = getPool();
    const { ok, insult, profanity } = fx.categoryIds;
    const rotate = `CASE current_category_id WHEN ${ok} THEN ${insult} WHEN ${insult} THEN ${profanity} WHEN ${profanity} THEN ${ok} END`;
    const notGold = `workspace_id = $1 AND NOT held_out AND current_category_id IN (${ok}, ${insult}, ${profanity}) AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.excerpt_id = excerpt.id)`;
    await pool.query(`UPDATE excerpt SET current_category_id = ${rotate} WHERE ${notGold}`, [fx.workspaceId]);
    worseId = (await trainModelVersion({ workspaceId: fx.workspaceId })).modelVersionId;
    // undo the rotation (rotate twice more)
    await pool.query(`UPDATE excerpt SET current_category_id = ${rotate} WHERE ${notGold}`, [fx.workspaceId]);
    await pool.query(`UPDATE excerpt SET current_category_id = ${rotate} WHERE ${notGold}`, [fx.workspaceId]);

    const check = await compareWithActive({ modelVersionId: worseId });
    expect(check.isWorse).toBe(true);
    expect(check.comparison!.macroF1.delta).toBeLessThan(-check.comparison!.macroF1.margin);
    await expect(promoteModelVersion({ workspaceId: fx.workspaceId, modelVersionId: worseId })).rejects.toMatchObject({
      code: "CONFLICT",
      details: { isWorse: true },
    });
    expect(await one(`SELECT active_model_version_id AS id FROM workspace WHERE id = $1`, [fx.workspaceId])).toEqual({ id: goodId });

    // the good version compared with itself as active is never flagged
    expect((await compareWithActive({ modelVersionId: goodId })).comparison).toBeNull();

    const promoted = await promoteModelVersion({ workspaceId: fx.workspaceId, modelVersionId: worseId, isConfirmed: true });
    expect(promoted.previousActiveId).toBe(goodId);
    expect(await one(`SELECT status::text FROM model_version WHERE id = $1`, [goodId])).toEqual({ status: "archived" });
    await drainScoring();
    await requeueWorkspace({ workspaceId: fx.workspaceId });
    const onWorse = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM queue_item q JOIN prediction p ON p.id = q.prediction_id WHERE q.workspace_id = $1 AND q.is_open AND p.model_version_id = $2`,
      [fx.workspaceId, worseId],
    );
    expect(onWorse.n).toBe(60);

    const registryBefore = await listModelVersions({ workspaceId: fx.workspaceId });
    expect(registryBefore.rollbackTargetId).toBe(goodId);
    const rolled = await rollbackModelVersion({ workspaceId: fx.workspaceId });
    expect(rolled).toMatchObject({ modelVersionId: goodId, previousActiveId: worseId });
    expect(await one(`SELECT active_model_version_id AS id FROM workspace WHERE id = $1`, [fx.workspaceId])).toEqual({ id: goodId });
    expect(await one(`SELECT status::text FROM model_version WHERE id = $1`, [worseId])).toEqual({ status: "archived" });
    // the good version already scored everything: the requeue job alone moves the open queue back
    expect(await queueSize(QUEUES.requeue)).toBeGreaterThanOrEqual(1);
    await requeueWorkspace({ workspaceId: fx.workspaceId });
    const onGood = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM queue_item q JOIN prediction p ON p.id = q.prediction_id WHERE q.workspace_id = $1 AND q.is_open AND p.model_version_id = $2`,
      [fx.workspaceId, goodId],
    );
    expect(onGood.n).toBe(60);
  });

  it("a shadow version writes predictions for what the active one scored, and never touches the queue", async () => {
    const shadowId = (await trainModelVersion({ workspaceId: fx.workspaceId })).modelVersionId;
    const queueBefore = (await getPool().query(`SELECT excerpt_id, priority, prediction_id FROM queue_item ORDER BY excerpt_id`)).rows;
    await setShadow({ workspaceId: fx.workspaceId, modelVersionId: shadowId, isShadow: true });
    let scored = 0;
    for (let s = -1; s !== 0; scored += s) s = (await scoreShadowExcerpts({ workspaceId: fx.workspaceId, batchSize: 100 })).scored;
    const activeScored = await one<{ n: number }>(`SELECT count(*)::int AS n FROM prediction WHERE model_version_id = $1`, [goodId]);
    expect(scored).toBe(activeScored.n);
    expect(await one(`SELECT count(*)::int AS n FROM prediction WHERE model_version_id = $1`, [shadowId])).toEqual({ n: activeScored.n });
    expect((await getPool().query(`SELECT excerpt_id, priority, prediction_id FROM queue_item ORDER BY excerpt_id`)).rows).toEqual(queueBefore);
    await expect(setShadow({ workspaceId: fx.workspaceId, modelVersionId: goodId, isShadow: true })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await setShadow({ workspaceId: fx.workspaceId, modelVersionId: shadowId, isShadow: false })).toEqual({
      modelVersionId: shadowId,
      status: "candidate",
    });
  });
});

describe("threshold calibration", () => {
  it("picks a threshold that meets the precision target on the gold set and applies it", async () => {
    const boss = await getBoss();
    await boss.purgeQueue(QUEUES.requeue);
    const result = await calibrateThreshold({ workspaceId: fx.workspaceId, target: { metric: "precision", atLeast: 0.95 } });
    expect(await one(`SELECT flag_threshold AS t FROM workspace WHERE id = $1`, [fx.workspaceId])).toEqual({ t: result.threshold });
    expect(await queueSize(QUEUES.requeue)).toBe(1);

    // recompute independently on the gold set with the active model
    const gold = await selectGoldSet({ workspaceId: fx.workspaceId });
    const { rows } = await getPool().query<{ id: number; manifest: { nonToxicIndex: number } }>(
      `SELECT id, manifest FROM model_version WHERE status = 'active'`,
    );
    const probs = await predictTexts({ modelVersionId: rows[0].id, texts: gold.items.map((i) => i.text) });
    const isToxic = gold.items.map((i) => i.categoryId !== fx.categoryIds.ok);
    const scores = probs.map((p) => 1 - p[rows[0].manifest.nonToxicIndex]);
    const at = binaryScores(isToxic, predictAtThreshold(scores, result.threshold));
    expect(at.precision).toBeGreaterThanOrEqual(0.95);
    expect(at.recall).toBeCloseTo(result.row.recall, 12);

    const recall = await calibrateThreshold({ workspaceId: fx.workspaceId, target: { metric: "recall", atLeast: 0.99 } });
    const atRecall = binaryScores(isToxic, predictAtThreshold(scores, recall.threshold));
    expect(atRecall.recall).toBeGreaterThanOrEqual(0.99);
    expect(recall.previousThreshold).toBe(result.threshold);

    const tradeoff = await getThresholdTradeoff({ workspaceId: fx.workspaceId });
    expect(tradeoff.currentThreshold).toBe(recall.threshold);
    expect(tradeoff.current?.threshold).toBe(recall.threshold);
  });

  it("refuses, changing nothing, when the gold set cannot support a threshold", async () => {
    const before = await one<{ t: number }>(`SELECT flag_threshold AS t FROM workspace WHERE id = $1`, [fx.workspaceId]);
    await expect(calibrateThreshold({ workspaceId: fx.workspaceId, target: { metric: "precision", atLeast: 1.5 } })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    expect(await one(`SELECT flag_threshold AS t FROM workspace WHERE id = $1`, [fx.workspaceId])).toEqual(before);
  });
});

describe("gold labels on categories a version does not know", () => {
  it("stay in the evaluation as misses, in an extra column, so every version is measured on the same n", async () => {
    const pool = getPool();
    const { rows: v } = await pool.query<{ id: number }>(`SELECT id FROM model_version WHERE status = 'active'`);
    const { rows: cat } = await pool.query<{ id: number }>(`INSERT INTO category (workspace_id, name, sort_order) VALUES ($1, 'Spam', 9) RETURNING id`, [
      fx.workspaceId,
    ]);
    await pool.query(
      `INSERT INTO excerpt (workspace_id, dedup_key, text, current_category_id, held_out) VALUES ($1, 'spam-gold', 'cheap gold at scam.biz', $2, true)`,
      [fx.workspaceId, cat[0].id],
    );
    const { evaluateModelVersion } = await import("../evaluation/evaluate-model-version.ts");
    const ev = await evaluateModelVersion({ modelVersionId: v[0].id });
    expect(ev.n).toBe(HELD_OUT + AUDITED + 1);
    expect(ev.categoryIds).toEqual([fx.categoryIds.insult, fx.categoryIds.ok, fx.categoryIds.profanity, cat[0].id]);
    expect(ev.fineGrained.perCategory[3]).toMatchObject({ label: "Spam", support: 1, recall: 0, predicted: 0 });
    const registry = await listModelVersions({ workspaceId: fx.workspaceId });
    // versions evaluated before the new gold label are now marked stale; this one is current
    expect(registry.versions.find((x) => x.id === v[0].id)?.isEvaluationStale).toBe(false);
    expect(registry.versions.filter((x) => x.metrics.evaluation && x.id !== v[0].id).every((x) => x.isEvaluationStale)).toBe(true);
  });
});
