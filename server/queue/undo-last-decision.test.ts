import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { claimItems } from "./claim-items.ts";
import { forgetQueueSettings } from "./get-queue-settings.ts";
import { seedQueueFixture, type TQueueFixture } from "./queue-fixtures.ts";
import { submitDecision } from "./submit-decision.ts";
import { undoLastDecision } from "./undo-last-decision.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TQueueFixture;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedQueueFixture({ excerpts: 200, users: 8, randomShare: 0 });
});
afterAll(() => testDb.drop());
beforeEach(() => forgetQueueSettings());

async function queueRow(excerptId: string) {
  const { rows } = await getPool().query(`SELECT is_open, leased_by_id, lease_expires_at, skipped_by FROM queue_item WHERE excerpt_id = $1`, [excerptId]);
  return rows[0];
}
async function labelOf(excerptId: string): Promise<number | null> {
  const { rows } = await getPool().query(`SELECT current_category_id FROM excerpt WHERE id = $1`, [excerptId]);
  return rows[0].current_category_id;
}
const label = (userId: number, excerptId: string, categoryId: number) =>
  submitDecision({ workspaceId: fx.workspaceId, userId, excerptId, kind: "label", categoryId });

describe("undoLastDecision", () => {
  it("returns null when there is nothing to undo", async () => {
    expect(await undoLastDecision({ workspaceId: fx.workspaceId, userId: fx.userIds[7] })).toBeNull();
  });

  it("undo of a label appends a reversal, clears the label and brings the item back leased to the same moderator", async () => {
    const A = fx.userIds[0];
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    const d = await label(A, card.excerptId, fx.categoryIds[1]);
    expect(await labelOf(card.excerptId)).toBe(fx.categoryIds[1]);

    const undone = await undoLastDecision({ workspaceId: fx.workspaceId, userId: A });
    expect(undone!.reversedDecisionId).toBe(d.decisionId);
    expect(undone!.card.excerptId).toBe(card.excerptId);
    expect(undone!.card.text).toBe(card.text);
    expect(undone!.card.suggestion).toEqual(card.suggestion);
    expect(undone!.card.context).toEqual(card.context);
    expect(Date.parse(undone!.card.leaseExpiresAt)).toBeGreaterThan(Date.now() + 290_000);

    const { rows } = await getPool().query(`SELECT id::text, kind, reverses_id::text, user_id FROM decision WHERE excerpt_id = $1 ORDER BY id`, [
      card.excerptId,
    ]);
    expect(rows).toEqual([
      { id: d.decisionId, kind: "label", reverses_id: null, user_id: A },
      { id: expect.any(String), kind: "reversal", reverses_id: d.decisionId, user_id: A },
    ]);
    expect(await labelOf(card.excerptId)).toBeNull();
    expect(await queueRow(card.excerptId)).toMatchObject({ is_open: true, leased_by_id: A });
    // the item is back in A's hand on reload, and A can decide it again without a conflict
    const reload = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 0 });
    expect(reload.map((c) => c.excerptId)).toEqual([card.excerptId]);
    const again = await label(A, card.excerptId, fx.categoryIds[2]);
    expect(again.isLateConflict).toBe(false);
    expect(await labelOf(card.excerptId)).toBe(fx.categoryIds[2]);
  });

  it("undo falls back to the previous label of the excerpt", async () => {
    const [A, B] = [fx.userIds[1], fx.userIds[2]];
    const excerptId = fx.excerptIds[100];
    await submitDecision({ workspaceId: fx.workspaceId, userId: B, excerptId, kind: "label", categoryId: fx.categoryIds[3], origin: "review" });
    await getPool().query(`UPDATE queue_item SET is_open = true, leased_by_id = $2, lease_expires_at = now() + interval '5 minutes' WHERE excerpt_id = $1`, [
      excerptId,
      A,
    ]);
    await label(A, excerptId, fx.categoryIds[1]);
    expect(await labelOf(excerptId)).toBe(fx.categoryIds[1]);
    await undoLastDecision({ workspaceId: fx.workspaceId, userId: A });
    expect(await labelOf(excerptId)).toBe(fx.categoryIds[3]);
  });

  it("undo of a skip reopens the lease and lets the moderator see the item again", async () => {
    const A = fx.userIds[3];
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId, kind: "skip" });
    expect((await queueRow(card.excerptId)).skipped_by).toEqual([A]);
    const undone = await undoLastDecision({ workspaceId: fx.workspaceId, userId: A });
    expect(undone!.card.excerptId).toBe(card.excerptId);
    expect(await queueRow(card.excerptId)).toMatchObject({ is_open: true, leased_by_id: A, skipped_by: [] });
  });

  it("successive undos walk back through the moderator's decisions, newest first, then stop", async () => {
    const A = fx.userIds[4];
    const cards = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 3 });
    const d0 = await label(A, cards[0].excerptId, fx.categoryIds[1]);
    const d1 = await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: cards[1].excerptId, kind: "skip" });
    const d2 = await label(A, cards[2].excerptId, fx.categoryIds[2]);
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await undoLastDecision({ workspaceId: fx.workspaceId, userId: A }))!.reversedDecisionId);
    expect(order).toEqual([d2.decisionId, d1.decisionId, d0.decisionId]);
    expect(await undoLastDecision({ workspaceId: fx.workspaceId, userId: A })).toBeNull();
    for (const c of cards) expect(await queueRow(c.excerptId)).toMatchObject({ is_open: true, leased_by_id: A });
  });

  it("does not undo another moderator's decision", async () => {
    const [A, B] = [fx.userIds[5], fx.userIds[6]];
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    await label(A, card.excerptId, fx.categoryIds[1]);
    expect(await undoLastDecision({ workspaceId: fx.workspaceId, userId: B })).toBeNull();
    expect(await labelOf(card.excerptId)).toBe(fx.categoryIds[1]);
    await undoLastDecision({ workspaceId: fx.workspaceId, userId: A });
  });

  it("refuses (and appends nothing) when another moderator picked the skipped item up meanwhile", async () => {
    const [A, B] = [fx.userIds[5], fx.userIds[6]];
    await getPool().query(`UPDATE queue_item SET leased_by_id = NULL, lease_expires_at = NULL, is_open = false WHERE leased_by_id IS NOT NULL`);
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId, kind: "skip" });
    const [taken] = await claimItems({ workspaceId: fx.workspaceId, userId: B, limit: 1 });
    expect(taken.excerptId).toBe(card.excerptId);
    await expect(undoLastDecision({ workspaceId: fx.workspaceId, userId: A })).rejects.toMatchObject({ code: "CONFLICT" });
    const { rows } = await getPool().query(`SELECT kind FROM decision WHERE excerpt_id = $1`, [card.excerptId]);
    expect(rows.map((r) => r.kind)).toEqual(["skip"]);
    expect(await queueRow(card.excerptId)).toMatchObject({ leased_by_id: B });
  });

  it("two undos at once from two tabs reverse two different decisions, never one twice", async () => {
    const A = fx.userIds[7];
    const cards = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 2 });
    const d0 = await label(A, cards[0].excerptId, fx.categoryIds[1]);
    const d1 = await label(A, cards[1].excerptId, fx.categoryIds[1]);
    const both = await Promise.all([
      undoLastDecision({ workspaceId: fx.workspaceId, userId: A }),
      undoLastDecision({ workspaceId: fx.workspaceId, userId: A }),
    ]);
    expect(both.map((u) => u!.reversedDecisionId).sort()).toEqual([d0.decisionId, d1.decisionId].sort());
    const { rows } = await getPool().query(
      `SELECT reverses_id::text AS r, count(*)::int AS n FROM decision WHERE kind = 'reversal' AND user_id = $1 GROUP BY 1`,
      [A],
    );
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });
});
