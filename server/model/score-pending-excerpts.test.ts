import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditPriority, isAuditSample, queuePriority, requiredReviews } from "@/lib/ranking/rank.ts";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { loadModelSession, releaseModelSessions } from "./load-model-session.ts";
import { seedModelFixture, type TModelFixture } from "./model-fixtures.ts";
import { predictTexts } from "./predict-texts.ts";
import { requeueWorkspace } from "../queue/requeue-workspace.ts";
import { scorePendingExcerpts } from "./score-pending-excerpts.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";

let drop: () => Promise<void>;
let fx: TModelFixture;
const UNLABELLED = 230;
const LABELLED = 80;
const HELD_OUT = 12;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  fx = await seedModelFixture({ labelled: LABELLED, unlabelled: UNLABELLED, heldOut: HELD_OUT });
});

afterAll(async () => {
  await releaseModelSessions();
  await drop();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await getPool().query<{ n: number }>(sql, params);
  return rows[0].n;
}

describe("train → score → queue", () => {
  let modelVersionId: number;

  it("trains on current, non-held-out labels of active categories and activates the version", async () => {
    const trained = await trainModelVersion({ workspaceId: fx.workspaceId, trainedById: fx.userId, activate: true });
    modelVersionId = trained.modelVersionId;
    expect(trained.examples).toBe(LABELLED); // gold and retired-category labels excluded
    expect(trained.version).toMatch(/^linear-\d{8}-\d{6}-\d{3}$/);
    const { rows } = await getPool().query(
      `SELECT m.status, m.category_ids, m.manifest, m.trained_by_id, w.active_model_version_id
         FROM model_version m JOIN workspace w ON w.id = m.workspace_id WHERE m.id = $1`,
      [modelVersionId],
    );
    expect(rows[0].status).toBe("active");
    expect(rows[0].active_model_version_id).toBe(modelVersionId);
    expect(rows[0].trained_by_id).toBe(fx.userId);
    // outputs follow the active categories in sort order; the non-toxic index points at "Non-toxic"
    expect(rows[0].category_ids).toEqual([fx.categoryIds.insult, fx.categoryIds.ok, fx.categoryIds.profanity]);
    expect(rows[0].manifest.labels).toEqual(["Insult", "Non-toxic", "Profanity"]);
    expect(rows[0].manifest.nonToxicIndex).toBe(1);
    expect(rows[0].manifest.training.examples).toBe(LABELLED);
    // cross-fitted: out-of-fold probabilities stored with the version, a calibrator fitted on them in the manifest
    const oof = await getPool().query(
      `SELECT cardinality(excerpt_ids) AS n, octet_length(log_probs) AS bytes, folds FROM model_out_of_fold WHERE model_version_id = $1`,
      [modelVersionId],
    );
    expect(oof.rows[0].n).toBe(LABELLED);
    expect(oof.rows[0].bytes).toBe(LABELLED * 3 * 4);
    expect(new Set(oof.rows[0].folds).size).toBe(5);
    const calibration = rows[0].manifest.calibration;
    expect(calibration).toMatchObject({ fittedOn: "out-of-fold", examples: LABELLED, folds: 5 });
    expect(["none", "temperature", "vector"]).toContain(calibration.method);
    expect(calibration.candidates.map((c: { method: string }) => c.method)).toEqual(["none", "temperature", "vector"]);
    // the first trained model sets a new workspace's flag threshold: its calibrated out-of-fold best-F1 cut
    const ws = await getPool().query(`SELECT flag_threshold, flag_threshold_source FROM workspace WHERE id = $1`, [fx.workspaceId]);
    expect(ws.rows[0]).toEqual({ flag_threshold: calibration.flagThreshold, flag_threshold_source: "model" });
  });

  it("serves the stored version through onnxruntime and predicts the learnt classes", async () => {
    const session = await loadModelSession(modelVersionId);
    expect(await loadModelSession(modelVersionId)).toBe(session); // one session per version
    const [friendly, insult, swear] = await predictTexts({ modelVersionId, texts: ["nice shot mate", "you idiot", "fuck this game"] });
    expect(friendly[1]).toBeGreaterThan(0.5);
    expect(insult[0]).toBeGreaterThan(Math.max(insult[1], insult[2]));
    expect(swear[2]).toBeGreaterThan(Math.max(swear[0], swear[1]));
    for (const p of [friendly, insult, swear]) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("scores in bounded calls, resumes where it stopped and creates queue items only for open work", async () => {
    const total = LABELLED + HELD_OUT + UNLABELLED + 1;
    const first = await scorePendingExcerpts({ workspaceId: fx.workspaceId, batchSize: 50, maxBatches: 2 });
    expect(first.scored).toBe(100);
    expect(await count(`SELECT count(*)::int AS n FROM prediction WHERE model_version_id = $1`, [modelVersionId])).toBe(100);
    // the rest, as the worker would: call until nothing is left
    let rest = 0;
    for (;;) {
      const { scored } = await scorePendingExcerpts({ workspaceId: fx.workspaceId, batchSize: 50, maxBatches: 2 });
      if (scored === 0) break;
      rest += scored;
    }
    expect(100 + rest).toBe(total);
    expect(await count(`SELECT count(*)::int AS n FROM prediction WHERE model_version_id = $1`, [modelVersionId])).toBe(total);
    // queue items: unlabelled and not held out only
    expect(await count(`SELECT count(*)::int AS n FROM queue_item WHERE workspace_id = $1`, [fx.workspaceId])).toBe(UNLABELLED);
    expect(
      await count(`SELECT count(*)::int AS n FROM queue_item q JOIN excerpt e ON e.id = q.excerpt_id WHERE e.current_category_id IS NOT NULL OR e.held_out`),
    ).toBe(0);
  });

  it("stores predictions and priorities exactly as lib/ranking computes them", async () => {
    const { rows } = await getPool().query(
      `SELECT q.excerpt_id::text AS id, q.priority, q.is_audit, q.required_reviews, q.is_flagged, q.prediction_id::text, p.id::text AS pid, p.probs, p.toxic_score,
              p.suggested_category_id, p.confidence, extract(epoch FROM e.occurred_at) * 1000 AS ms, e.text
         FROM queue_item q JOIN prediction p ON p.excerpt_id = q.excerpt_id AND p.model_version_id = $1 JOIN excerpt e ON e.id = q.excerpt_id`,
      [modelVersionId],
    );
    expect(rows.length).toBe(UNLABELLED);
    const threshold = await count(`SELECT flag_threshold AS n FROM workspace WHERE id = $1`, [fx.workspaceId]);
    const categoryOrder = [fx.categoryIds.insult, fx.categoryIds.ok, fx.categoryIds.profanity];
    let audits = 0;
    let overlaps = 0;
    for (const r of rows) {
      expect(r.prediction_id).toBe(r.pid);
      // overlap items (two moderators each) by the workspace's default overlap share, 5%
      expect(r.required_reviews).toBe(requiredReviews(r.id, 0.05));
      if (r.required_reviews === 2) overlaps++;
      const probs = r.probs as number[];
      expect(r.toxic_score).toBeCloseTo(1 - probs[1], 6);
      const top = probs.indexOf(Math.max(...probs));
      expect(r.suggested_category_id).toBe(categoryOrder[top]);
      expect(r.confidence).toBeCloseTo(probs[top], 6);
      // a new workspace's ranking: margin, no flagged tier, the threshold its first model set
      const expected = queuePriority({
        probs,
        nonToxicIndex: 1,
        threshold,
        strategy: "margin",
        isFlaggedFirst: false,
        excerptId: r.id,
        occurredAtMs: Number(r.ms),
      });
      expect(r.is_flagged).toBe(expected.isFlagged);
      if (isAuditSample(r.id, 0.1)) {
        audits++;
        expect(r.is_audit).toBe(true);
        expect(r.priority).toBeCloseTo(auditPriority(r.id), 12);
      } else {
        expect(r.is_audit).toBe(false);
        expect(r.priority).toBeCloseTo(expected.priority, 5);
      }
    }
    expect(audits).toBeGreaterThan(5);
    expect(audits).toBeLessThan(60);
    expect(overlaps).toBeGreaterThan(0);
    // the signal was learnt: swearing lines are flagged far more often than friendly ones
    const flaggedShare = (pattern: RegExp) => {
      const sel = rows.filter((r) => pattern.test(r.text));
      return sel.filter((r) => r.is_flagged).length / sel.length;
    };
    expect(flaggedShare(/fuck|shit|bitch/)).toBeGreaterThan(0.8);
    expect(flaggedShare(/gg wp|nice shot|thanks for/)).toBeLessThan(0.2);
  });

  it("is idempotent: a rerun finds nothing to do and changes nothing", async () => {
    const before = await getPool().query(`SELECT excerpt_id, priority, prediction_id, updated_at FROM queue_item ORDER BY excerpt_id`);
    expect(await scorePendingExcerpts({ workspaceId: fx.workspaceId })).toEqual({ scored: 0 });
    const after = await getPool().query(`SELECT excerpt_id, priority, prediction_id, updated_at FROM queue_item ORDER BY excerpt_id`);
    expect(after.rows).toEqual(before.rows);
  });

  it("recovers after a crash that lost some batches: only the missing predictions are written", async () => {
    // simulate a crash that lost the last statements (prediction + queue upsert are one statement)
    const { rows: lost } = await getPool().query<{ excerpt_id: string }>(
      `DELETE FROM prediction WHERE id IN (SELECT id FROM prediction WHERE model_version_id = $1 ORDER BY excerpt_id DESC LIMIT 40) RETURNING excerpt_id::text`,
      [modelVersionId],
    );
    await getPool().query(`DELETE FROM queue_item WHERE excerpt_id = ANY ($1::bigint[])`, [lost.map((r) => r.excerpt_id)]);
    const { scored } = await scorePendingExcerpts({ workspaceId: fx.workspaceId });
    expect(scored).toBe(40);
    expect(await count(`SELECT count(*)::int AS n FROM queue_item WHERE workspace_id = $1`, [fx.workspaceId])).toBe(UNLABELLED);
    expect(await count(`SELECT count(*)::int AS n FROM queue_item q LEFT JOIN prediction p ON p.id = q.prediction_id WHERE p.id IS NULL`)).toBe(0);
  });

  it("a new active model re-scores: leases are kept, closed items stay closed, prediction ids move", async () => {
    const pool = getPool();
    const { rows: items } = await pool.query<{ excerpt_id: string }>(`SELECT excerpt_id::text FROM queue_item ORDER BY excerpt_id LIMIT 2`);
    const [leased, closed] = items.map((r) => r.excerpt_id);
    await pool.query(`UPDATE queue_item SET leased_by_id = $2, lease_expires_at = now() + interval '5 minutes' WHERE excerpt_id = $1`, [leased, fx.userId]);
    await pool.query(`UPDATE queue_item SET is_open = false WHERE excerpt_id = $1`, [closed]);
    const { rows: closedBefore } = await pool.query(`SELECT priority, prediction_id FROM queue_item WHERE excerpt_id = $1`, [closed]);

    const next = await trainModelVersion({ workspaceId: fx.workspaceId, activate: true });
    expect(next.modelVersionId).not.toBe(modelVersionId);
    expect(await count(`SELECT count(*)::int AS n FROM model_version WHERE workspace_id = $1 AND status = 'active'`, [fx.workspaceId])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM model_version WHERE id = $1 AND status = 'archived'`, [modelVersionId])).toBe(1);
    let scored = 0;
    for (let s = -1; s !== 0; ) {
      s = (await scorePendingExcerpts({ workspaceId: fx.workspaceId })).scored;
      scored += s;
    }
    expect(scored).toBe(LABELLED + HELD_OUT + UNLABELLED + 1);
    const { rows: l } = await pool.query(
      `SELECT q.leased_by_id, q.lease_expires_at > now() AS live, p.model_version_id FROM queue_item q JOIN prediction p ON p.id = q.prediction_id WHERE q.excerpt_id = $1`,
      [leased],
    );
    expect(l[0]).toEqual({ leased_by_id: fx.userId, live: true, model_version_id: next.modelVersionId });
    const { rows: c } = await pool.query(`SELECT is_open, priority, prediction_id FROM queue_item WHERE excerpt_id = $1`, [closed]);
    expect(c[0].is_open).toBe(false);
    expect(c[0].prediction_id).toBe(closedBefore[0].prediction_id);
    expect(
      await count(`SELECT count(*)::int AS n FROM queue_item q JOIN prediction p ON p.id = q.prediction_id WHERE q.is_open AND p.model_version_id <> $1`, [
        next.modelVersionId,
      ]),
    ).toBe(0);
    modelVersionId = next.modelVersionId;
  });

  it("requeue applies a new threshold and strategy to open items without touching leases", async () => {
    const pool = getPool();
    await pool.query(`UPDATE workspace SET flag_threshold = 0.99, rank_strategy = 'toxic_score' WHERE id = $1`, [fx.workspaceId]);
    const { requeued } = await requeueWorkspace({ workspaceId: fx.workspaceId, batchSize: 37 });
    expect(requeued).toBeGreaterThan(0);
    const { rows } = await pool.query(
      `SELECT q.excerpt_id::text AS id, q.priority, q.is_flagged, q.is_audit, q.leased_by_id, p.toxic_score
         FROM queue_item q JOIN prediction p ON p.id = q.prediction_id WHERE q.is_open`,
    );
    for (const r of rows) {
      expect(r.is_flagged).toBe(r.toxic_score >= 0.99);
      if (!r.is_audit) expect(r.priority).toBeCloseTo(r.toxic_score, 5);
    }
    expect(rows.filter((r) => r.leased_by_id === fx.userId).length).toBe(1);
    // a second run has nothing left to change
    expect((await requeueWorkspace({ workspaceId: fx.workspaceId })).requeued).toBe(0);
  });

  it("queues live lines (sent through the machine API) only when routed, their audit slice at the routing share, and requeue keeps it", async () => {
    const pool = getPool();
    await pool.query(
      `UPDATE workspace SET flag_threshold = 0.5, rank_strategy = 'margin', route_flagged = true, route_uncertain_margin = NULL, route_audit_share = 0.05 WHERE id = $1`,
      [fx.workspaceId],
    );
    const { rows: live } = await pool.query<{ id: string }>(
      `INSERT INTO excerpt (workspace_id, dedup_key, text, api_key_id)
       SELECT $1, 'live' || g, CASE WHEN g % 2 = 0 THEN 'nice shot mate ' || g ELSE 'fuck this game ' || g END, 7
         FROM generate_series(1, 300) g RETURNING id::text`,
      [fx.workspaceId],
    );
    for (let s = -1; s !== 0; ) s = (await scorePendingExcerpts({ workspaceId: fx.workspaceId })).scored;
    await requeueWorkspace({ workspaceId: fx.workspaceId });
    const { rows } = await pool.query<{ id: string; probs: number[]; queued: boolean; is_audit: boolean | null }>(
      `SELECT e.id::text, p.probs, q.excerpt_id IS NOT NULL AS queued, q.is_audit
         FROM excerpt e JOIN prediction p ON p.excerpt_id = e.id AND p.model_version_id = $2 LEFT JOIN queue_item q ON q.excerpt_id = e.id
        WHERE e.id = ANY ($1::bigint[])`,
      [live.map((r) => r.id), modelVersionId],
    );
    expect(rows).toHaveLength(300);
    let audited = 0;
    for (const r of rows) {
      const isAudit = isAuditSample(r.id, 0.05);
      const isFlagged = 1 - r.probs[1] >= 0.5;
      expect(r.queued, `excerpt ${r.id}`).toBe(isAudit || isFlagged);
      // never the workspace's 10% random share: a flagged live line outside the 5% routing sample is not audit
      if (r.queued) expect(r.is_audit).toBe(isAudit);
      if (isAudit) audited++;
    }
    expect(audited).toBeGreaterThan(0);
    expect(rows.filter((r) => !r.queued).length).toBeGreaterThan(50); // the friendly half mostly stays out
    // a larger routing share later must not turn earlier routed (flagged) items into audit items: requeue keeps
    // the flag they were routed with, or the gold set would over-represent flagged lines
    await pool.query(`UPDATE workspace SET route_audit_share = 0.5 WHERE id = $1`, [fx.workspaceId]);
    await requeueWorkspace({ workspaceId: fx.workspaceId });
    const { rows: after } = await pool.query<{ id: string; is_audit: boolean }>(
      `SELECT excerpt_id::text AS id, is_audit FROM queue_item WHERE excerpt_id = ANY ($1::bigint[])`,
      [live.map((r) => r.id)],
    );
    for (const r of after) expect(r.is_audit, `excerpt ${r.id}`).toBe(isAuditSample(r.id, 0.05));
  });
});

describe("errors", () => {
  it("refuses to train a workspace without a non-toxic category, saying what to do", async () => {
    const { rows } = await getPool().query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('bare', 'bare') RETURNING id`);
    await getPool().query(`INSERT INTO category (workspace_id, name) VALUES ($1, 'a'), ($1, 'b')`, [rows[0].id]);
    await expect(trainModelVersion({ workspaceId: rows[0].id })).rejects.toThrow(/non-toxic/);
    expect(await scorePendingExcerpts({ workspaceId: rows[0].id })).toEqual({ scored: 0 }); // no active model yet
  });

  it("reports an unknown model version as NOT_FOUND", async () => {
    await expect(loadModelSession(987654)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
