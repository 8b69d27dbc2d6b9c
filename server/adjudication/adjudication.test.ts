import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ZDashboardFilters } from "../dashboard/filters.ts";
import { getAgreement } from "../dashboard/get-agreement.ts";
import { refreshDashboard } from "../dashboard/refresh-dashboard.ts";
import { getPool } from "../db/pool.ts";
import { claimItems } from "../queue/claim-items.ts";
import { forgetQueueSettings } from "../queue/get-queue-settings.ts";
import { seedQueueFixture, type TQueueFixture } from "../queue/queue-fixtures.ts";
import { submitDecision } from "../queue/submit-decision.ts";
import { undoLastDecision } from "../queue/undo-last-decision.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { listAdjudications } from "./list-adjudications.ts";
import { submitAdjudication } from "./submit-adjudication.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TQueueFixture;
let A: number;
let B: number;
let S: number;
let cat1: number;
let cat2: number;
let cat3: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedQueueFixture({ excerpts: 120, users: 3, randomShare: 0 });
  [A, B, S] = fx.userIds;
  [, cat1, cat2, cat3] = fx.categoryIds;
  // every item is an overlap item here, so the serving order is the plain priority order
  await getPool().query(`UPDATE queue_item SET required_reviews = 2 WHERE workspace_id = $1`, [fx.workspaceId]);
});
afterAll(() => testDb.drop());
beforeEach(() => forgetQueueSettings());

async function item(excerptId: string) {
  const { rows } = await getPool().query(`SELECT is_open, leased_by_id, labelled_by FROM queue_item WHERE excerpt_id = $1`, [excerptId]);
  return rows[0];
}
async function labelOf(excerptId: string): Promise<number | null> {
  const { rows } = await getPool().query(`SELECT current_category_id FROM excerpt WHERE id = $1`, [excerptId]);
  return rows[0].current_category_id;
}
const label = (userId: number, excerptId: string, categoryId: number) =>
  submitDecision({ workspaceId: fx.workspaceId, userId, excerptId, kind: "label", categoryId });

describe("overlap items and adjudication", () => {
  let x: string;
  let y: string;

  it("an overlap item stays open after the first label and is never served back to that moderator", async () => {
    [{ excerptId: x }, { excerptId: y }] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 2 });
    await label(A, x, cat1);
    await label(A, y, cat2);
    expect(await item(x)).toMatchObject({ is_open: true, leased_by_id: null, labelled_by: [A] });
    // the first label is the label for now
    expect(await labelOf(x)).toBe(cat1);
    const again = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 50 });
    expect(again.map((c) => c.excerptId)).not.toContain(x);
    expect(again.map((c) => c.excerptId)).not.toContain(y);
  });

  it("a second, different moderator gets it, and their label closes it", async () => {
    const cards = await claimItems({ workspaceId: fx.workspaceId, userId: B, limit: 2 });
    expect(cards.map((c) => c.excerptId).sort()).toEqual([x, y].sort());
    await label(B, x, cat2); // disagrees
    await label(B, y, cat2); // agrees
    expect(await item(x)).toMatchObject({ is_open: false, labelled_by: [A, B] });
    expect(await item(y)).toMatchObject({ is_open: false });
    // until adjudicated, the latest label stands
    expect(await labelOf(x)).toBe(cat2);
    // closed: nobody is served it again
    const third = await claimItems({ workspaceId: fx.workspaceId, userId: S, limit: 50 });
    expect(third.map((c) => c.excerptId)).not.toContain(x);
  });

  it("only the disagreement lands in the adjudication queue, with both labels and the card", async () => {
    const list = await listAdjudications({ workspaceId: fx.workspaceId });
    expect(list.map((i) => i.card.excerptId)).toEqual([x]);
    expect(list[0].labels.map((l) => [l.userId, l.categoryId])).toEqual([
      [A, cat1],
      [B, cat2],
    ]);
    expect(list[0].card.suggestion).not.toBeNull();
    expect(list[0].card.suggestion!.modelVersionId).toBe(fx.modelVersionId);
    expect(list[0].card.text).toMatch(/^line /);
  });

  it("never shows the suggestion of a model that is no longer active", async () => {
    const pool = getPool();
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids)
       SELECT workspace_id, 'v-newer', kind, 'active', manifest, onnx, category_ids FROM model_version WHERE id = $1 RETURNING id`,
      [fx.modelVersionId],
    );
    await pool.query(`UPDATE model_version SET status = 'archived' WHERE id = $1`, [fx.modelVersionId]);
    await pool.query(`UPDATE workspace SET active_model_version_id = $2 WHERE id = $1`, [fx.workspaceId, rows[0].id]);
    try {
      // the new active version has not scored the disputed excerpt (closed items are not re-scored): no suggestion
      expect((await listAdjudications({ workspaceId: fx.workspaceId }))[0].card.suggestion).toBeNull();
      await pool.query(
        `INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
         SELECT excerpt_id, $2, probs, toxic_score, $3, confidence FROM prediction WHERE excerpt_id = $1 AND model_version_id = $4`,
        [x, rows[0].id, cat3, fx.modelVersionId],
      );
      const [item] = await listAdjudications({ workspaceId: fx.workspaceId });
      expect(item.card.suggestion).toMatchObject({ modelVersionId: rows[0].id, categoryId: cat3, modelVersion: "v-newer" });
    } finally {
      await pool.query(`UPDATE model_version SET status = 'active' WHERE id = $1`, [fx.modelVersionId]);
      await pool.query(`UPDATE workspace SET active_model_version_id = $2 WHERE id = $1`, [fx.workspaceId, fx.modelVersionId]);
      await pool.query(`DELETE FROM prediction WHERE model_version_id = $1`, [rows[0].id]);
      await pool.query(`DELETE FROM model_version WHERE id = $1`, [rows[0].id]);
    }
  });

  // who may adjudicate is checked by the route (withRoute's `senior`): app/api/w/[workspace]/rereview/rereview-routes.test.ts
  it("the adjudicated label wins, also over a later label", async () => {
    await expect(submitAdjudication({ workspaceId: fx.workspaceId, userId: S, excerptId: y, categoryId: cat1 })).rejects.toMatchObject({ code: "CONFLICT" });

    const result = await submitAdjudication({ workspaceId: fx.workspaceId, userId: S, excerptId: x, categoryId: cat1 });
    const { rows } = await getPool().query(`SELECT origin::text AS origin, category_id FROM decision WHERE id = $1`, [result.decisionId]);
    expect(rows[0]).toEqual({ origin: "adjudication", category_id: cat1 });
    expect(await labelOf(x)).toBe(cat1);
    expect(await listAdjudications({ workspaceId: fx.workspaceId })).toEqual([]);
    // a second adjudication of a settled item is refused
    await expect(submitAdjudication({ workspaceId: fx.workspaceId, userId: S, excerptId: x, categoryId: cat2 })).rejects.toMatchObject({ code: "CONFLICT" });
    // a later ordinary label (from the excerpt page) is recorded but does not override it
    await submitDecision({ workspaceId: fx.workspaceId, userId: B, excerptId: x, kind: "label", categoryId: cat3, origin: "review" });
    expect(await labelOf(x)).toBe(cat1);
  });

  it("the overlap labels show up in the dashboard's agreement report after a refresh", async () => {
    await refreshDashboard();
    const report = await getAgreement({ workspaceId: fx.workspaceId, filters: ZDashboardFilters.parse({}) });
    expect(report.items).toBe(2);
    const pair = report.pairs.find((p) => [Number(p.raterA), Number(p.raterB)].sort().join() === [A, B].sort().join());
    // x: B's standing label is now cat3 (the review), A's cat1 → disagree; y: both cat2 → agree
    expect(pair).toMatchObject({ items: 2, agreed: 1 });
  });

  it("undoing a first overlap label reopens the item for the same moderator", async () => {
    const [{ excerptId: z }] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    await label(A, z, cat1);
    expect((await item(z)).labelled_by).toEqual([A]);
    const undone = await undoLastDecision({ workspaceId: fx.workspaceId, userId: A });
    expect(undone?.card.excerptId).toBe(z);
    expect(await item(z)).toMatchObject({ is_open: true, leased_by_id: A, labelled_by: [] });
  });
});
