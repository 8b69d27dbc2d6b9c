import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { claimItems } from "./claim-items.ts";
import { forgetQueueSettings } from "./get-queue-settings.ts";
import { seedQueueFixture, type TQueueFixture } from "./queue-fixtures.ts";
import { submitDecision } from "./submit-decision.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TQueueFixture;
let A: number;
let B: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedQueueFixture({ excerpts: 200, users: 3, randomShare: 0 });
  [A, B] = fx.userIds;
});
afterAll(() => testDb.drop());
beforeEach(() => forgetQueueSettings());

async function queueRow(excerptId: string) {
  const { rows } = await getPool().query(`SELECT is_open, leased_by_id, lease_expires_at, skipped_by FROM queue_item WHERE excerpt_id = $1`, [excerptId]);
  return rows[0];
}
async function decisionsOf(excerptId: string) {
  const { rows } = await getPool().query(`SELECT * FROM decision WHERE excerpt_id = $1 ORDER BY id`, [excerptId]);
  return rows;
}
async function labelOf(excerptId: string): Promise<number | null> {
  const { rows } = await getPool().query(`SELECT current_category_id FROM excerpt WHERE id = $1`, [excerptId]);
  return rows[0].current_category_id;
}
async function expireLease(excerptId: string) {
  await getPool().query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE excerpt_id = $1`, [excerptId]);
}

describe("submitDecision", () => {
  it("a label on a held lease closes the item, sets the label and snapshots the suggestion", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    const categoryId = fx.categoryIds.find((c) => c !== card.suggestion!.categoryId)!;
    const result = await submitDecision({
      workspaceId: fx.workspaceId,
      userId: A,
      excerptId: card.excerptId,
      kind: "label",
      categoryId,
      durationMs: 1234,
      note: "slur in context",
    });
    expect(result).toEqual({ decisionId: expect.stringMatching(/^\d+$/), excerptId: card.excerptId, isLateConflict: false });

    expect(await queueRow(card.excerptId)).toMatchObject({ is_open: false, leased_by_id: null, lease_expires_at: null });
    expect(await labelOf(card.excerptId)).toBe(categoryId);
    const [d] = await decisionsOf(card.excerptId);
    expect(d).toMatchObject({
      id: result.decisionId,
      user_id: A,
      kind: "label",
      origin: "queue",
      category_id: categoryId,
      model_version_id: fx.modelVersionId,
      suggested_category_id: card.suggestion!.categoryId,
      is_audit: false,
      is_late_conflict: false,
      duration_ms: 1234,
      note: "slur in context",
    });
    expect(d.suggested_confidence).toBeCloseTo(card.suggestion!.confidence, 6);
    expect(d.toxic_score).toBeCloseTo(card.suggestion!.toxicScore, 6);
  });

  it("an expired lease's late decision is kept and flagged, and the item taken meanwhile stays with its new moderator", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    await expireLease(card.excerptId);
    const [taken] = await claimItems({ workspaceId: fx.workspaceId, userId: B, limit: 1 });
    expect(taken.excerptId).toBe(card.excerptId);
    const heldByB = await queueRow(card.excerptId);

    const late = await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[2] });
    expect(late.isLateConflict).toBe(true);
    const stored = await decisionsOf(card.excerptId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: late.decisionId, user_id: A, category_id: fx.categoryIds[2], is_late_conflict: true });
    // nothing lost: the label counts, but B's lease is untouched
    expect(await labelOf(card.excerptId)).toBe(fx.categoryIds[2]);
    expect(await queueRow(card.excerptId)).toEqual(heldByB);
    const reload = await claimItems({ workspaceId: fx.workspaceId, userId: B, limit: 0 });
    expect(reload.map((c) => c.excerptId)).toEqual([card.excerptId]);

    // B decides normally, without a conflict, and B's label is now the latest
    const onTime = await submitDecision({ workspaceId: fx.workspaceId, userId: B, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[3] });
    expect(onTime.isLateConflict).toBe(false);
    expect(await labelOf(card.excerptId)).toBe(fx.categoryIds[3]);
    expect((await queueRow(card.excerptId)).is_open).toBe(false);
  });

  it("a late decision on an expired lease nobody took closes the item, flagged", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    await expireLease(card.excerptId);
    const late = await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[0] });
    expect(late.isLateConflict).toBe(true);
    expect((await queueRow(card.excerptId)).is_open).toBe(false);
    expect(await labelOf(card.excerptId)).toBe(fx.categoryIds[0]);
  });

  it("a second decision on an already closed item is stored and flagged (double submit)", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[1] });
    const again = await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[1] });
    expect(again.isLateConflict).toBe(true);
    expect(await decisionsOf(card.excerptId)).toHaveLength(2);
  });

  it("a skip releases the lease, remembers the skipper and leaves the label alone", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    const r = await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId, kind: "skip", durationMs: 50 });
    expect(r.isLateConflict).toBe(false);
    expect(await queueRow(card.excerptId)).toMatchObject({ is_open: true, leased_by_id: null, lease_expires_at: null, skipped_by: [A] });
    expect(await labelOf(card.excerptId)).toBeNull();
    expect(await decisionsOf(card.excerptId)).toMatchObject([{ kind: "skip", category_id: null, user_id: A, duration_ms: 50 }]);

    // B skips too: both are remembered, and a repeated skip does not duplicate
    const [forB] = await claimItems({ workspaceId: fx.workspaceId, userId: B, limit: 1 });
    expect(forB.excerptId).toBe(card.excerptId);
    await submitDecision({ workspaceId: fx.workspaceId, userId: B, excerptId: card.excerptId, kind: "skip" });
    await submitDecision({ workspaceId: fx.workspaceId, userId: B, excerptId: card.excerptId, kind: "skip" });
    expect((await queueRow(card.excerptId)).skipped_by).toEqual([A, B]);
  });

  it("a late skip while someone else holds the item does not release their lease", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    await expireLease(card.excerptId);
    await claimItems({ workspaceId: fx.workspaceId, userId: B, limit: 1 });
    const r = await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId, kind: "skip" });
    expect(r.isLateConflict).toBe(true);
    expect(await queueRow(card.excerptId)).toMatchObject({ is_open: true, leased_by_id: B, skipped_by: [A] });
    await submitDecision({ workspaceId: fx.workspaceId, userId: B, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[0] });
  });

  it("a decision from the excerpt page (origin review) is not a conflict and closes an unheld item", async () => {
    const excerptId = fx.excerptIds[150];
    const r = await submitDecision({ workspaceId: fx.workspaceId, userId: B, excerptId, kind: "label", categoryId: fx.categoryIds[1], origin: "review" });
    expect(r.isLateConflict).toBe(false);
    expect(await queueRow(excerptId)).toMatchObject({ is_open: false });
    const [d] = await decisionsOf(excerptId);
    expect(d).toMatchObject({ origin: "review", model_version_id: fx.modelVersionId });
  });

  it("a review label works for an excerpt with no queue item, snapshotting the active model's prediction", async () => {
    const excerptId = fx.excerptIds[151];
    await getPool().query(`DELETE FROM queue_item WHERE excerpt_id = $1`, [excerptId]);
    const r = await submitDecision({ workspaceId: fx.workspaceId, userId: B, excerptId, kind: "label", categoryId: fx.categoryIds[2], origin: "review" });
    expect(r.isLateConflict).toBe(false);
    expect(await labelOf(excerptId)).toBe(fx.categoryIds[2]);
    const [d] = await decisionsOf(excerptId);
    expect(d.model_version_id).toBe(fx.modelVersionId);
    expect(d.suggested_category_id).not.toBeNull();
  });

  it("rejects bad input with a clear error and stores nothing", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    const base = { workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId };
    await expect(submitDecision({ ...base, kind: "label", categoryId: fx.inactiveCategoryId })).rejects.toMatchObject({
      code: "VALIDATION",
      message: /not an active category/,
    });
    await expect(submitDecision({ ...base, kind: "label", categoryId: 999_999 })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(submitDecision({ ...base, kind: "label" })).rejects.toMatchObject({ code: "VALIDATION", message: /Pick a category/ });
    await expect(submitDecision({ ...base, kind: "skip", origin: "review" })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(submitDecision({ ...base, kind: "label", categoryId: fx.categoryIds[0], durationMs: -5 })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(submitDecision({ ...base, kind: "label", categoryId: fx.categoryIds[0], note: "x".repeat(2001) })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    await expect(submitDecision({ ...base, excerptId: "abc", kind: "skip" })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(submitDecision({ ...base, excerptId: "99999999", kind: "skip" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await decisionsOf(card.excerptId)).toHaveLength(0);
    // the failed attempts rolled back and left the lease as it was
    expect(await queueRow(card.excerptId)).toMatchObject({ is_open: true, leased_by_id: A });

    // a category of another workspace is refused too
    const other = await getPool().query(`INSERT INTO workspace (slug, name) VALUES ('other', 'other') RETURNING id`);
    const cat = await getPool().query(`INSERT INTO category (workspace_id, name) VALUES ($1, 'insult') RETURNING id`, [other.rows[0].id]);
    await expect(submitDecision({ ...base, kind: "label", categoryId: cat.rows[0].id })).rejects.toMatchObject({ code: "VALIDATION" });
    // and another workspace cannot decide on this one's excerpt
    await expect(submitDecision({ ...base, workspaceId: other.rows[0].id, kind: "skip" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("stores a hostile note verbatim (quotes, backslashes, SQL, unicode)", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    const note = `it's a \\'; DROP TABLE decision; -- \\x00 "quoted" ${"\u{1F600}"} $$ $1`;
    await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[1], note });
    const [d] = await decisionsOf(card.excerptId);
    expect(d.note).toBe(note);
  });

  it("decisions are append-only: the database refuses UPDATE and DELETE", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    const r = await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: card.excerptId, kind: "label", categoryId: fx.categoryIds[1] });
    await expect(getPool().query(`UPDATE decision SET category_id = $2 WHERE id = $1`, [r.decisionId, fx.categoryIds[0]])).rejects.toThrow(
      /append-only \(UPDATE refused\)/,
    );
    await expect(getPool().query(`DELETE FROM decision WHERE id = $1`, [r.decisionId])).rejects.toThrow(/append-only \(DELETE refused\)/);
    const [d] = await decisionsOf(card.excerptId);
    expect(d.category_id).toBe(fx.categoryIds[1]);
  });

  it("concurrent decisions on one excerpt serialise: the derived label is the latest one stored", async () => {
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 1 });
    const results = await Promise.all(
      fx.categoryIds.map((categoryId, i) =>
        submitDecision({ workspaceId: fx.workspaceId, userId: fx.userIds[i % 3], excerptId: card.excerptId, kind: "label", categoryId, origin: "review" }),
      ),
    );
    expect(results).toHaveLength(4);
    const stored = await decisionsOf(card.excerptId);
    expect(stored).toHaveLength(4);
    expect(await labelOf(card.excerptId)).toBe(stored[stored.length - 1].category_id);
  });
});
