import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { claimItems } from "./claim-items.ts";
import { forgetRemainingCounts, getProgress } from "./get-progress.ts";
import { seedQueueFixture, type TQueueFixture } from "./queue-fixtures.ts";
import { submitDecision } from "./submit-decision.ts";
import { undoLastDecision } from "./undo-last-decision.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TQueueFixture;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedQueueFixture({ excerpts: 50, users: 2, randomShare: 0 });
});
afterAll(() => testDb.drop());

describe("getProgress", () => {
  it("counts today's label decisions net of reversals, and the open items left", async () => {
    const [A, B] = fx.userIds;
    expect(await getProgress({ workspaceId: fx.workspaceId, userId: A })).toEqual({ decidedToday: 0, remaining: 50 });

    const cards = await claimItems({ workspaceId: fx.workspaceId, userId: A, limit: 4 });
    for (const c of cards.slice(0, 3)) {
      await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: c.excerptId, kind: "label", categoryId: fx.categoryIds[1] });
    }
    await submitDecision({ workspaceId: fx.workspaceId, userId: A, excerptId: cards[3].excerptId, kind: "skip" });
    // skips are not counted; the remaining count is cached for a few seconds
    forgetRemainingCounts();
    expect(await getProgress({ workspaceId: fx.workspaceId, userId: A })).toEqual({ decidedToday: 3, remaining: 47 });

    await undoLastDecision({ workspaceId: fx.workspaceId, userId: A }); // the skip: count unchanged
    await undoLastDecision({ workspaceId: fx.workspaceId, userId: A }); // a label: one fewer
    forgetRemainingCounts();
    expect(await getProgress({ workspaceId: fx.workspaceId, userId: A })).toEqual({ decidedToday: 2, remaining: 48 });

    // another moderator's work and yesterday's work do not count for A
    const [forB] = await claimItems({ workspaceId: fx.workspaceId, userId: B, limit: 1 });
    await submitDecision({ workspaceId: fx.workspaceId, userId: B, excerptId: forB.excerptId, kind: "label", categoryId: fx.categoryIds[2] });
    await getPool().query(
      `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, category_id, created_at)
       VALUES ($1, $2, $3, 'label', $4, now() - interval '1 day')`,
      [fx.workspaceId, fx.excerptIds[49], A, fx.categoryIds[1]],
    );
    expect((await getProgress({ workspaceId: fx.workspaceId, userId: A })).decidedToday).toBe(2);
    expect((await getProgress({ workspaceId: fx.workspaceId, userId: B })).decidedToday).toBe(1);
  });

  it("serves the remaining count from a short cache rather than counting on every call", async () => {
    forgetRemainingCounts();
    const before = await getProgress({ workspaceId: fx.workspaceId, userId: fx.userIds[0] });
    await getPool().query(`UPDATE queue_item SET is_open = false WHERE excerpt_id = $1`, [fx.excerptIds[48]]);
    expect((await getProgress({ workspaceId: fx.workspaceId, userId: fx.userIds[0] })).remaining).toBe(before.remaining);
    forgetRemainingCounts();
    expect((await getProgress({ workspaceId: fx.workspaceId, userId: fx.userIds[0] })).remaining).toBe(before.remaining - 1);
  });
});
