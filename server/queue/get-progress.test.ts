import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { claimItems } from "./claim-items.ts";
import { countOpenItems, getProgress } from "./get-progress.ts";
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
    // skips are not counted; the remaining count is exact at once
    expect(await getProgress({ workspaceId: fx.workspaceId, userId: A })).toEqual({ decidedToday: 3, remaining: 47 });

    await undoLastDecision({ workspaceId: fx.workspaceId, userId: A }); // the skip: count unchanged
    await undoLastDecision({ workspaceId: fx.workspaceId, userId: A }); // a label: one fewer
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

  it("keeps the remaining count equal to a count of open items through inserts, claims, decisions, bulk updates and deletes, concurrently", async () => {
    const pool = getPool();
    const exact = async () =>
      (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_item WHERE workspace_id = $1 AND is_open`, [fx.workspaceId])).rows[0].n;
    expect(await countOpenItems(fx.workspaceId)).toBe(await exact());

    // a bulk close and reopen in single statements, and a claim (leases only: the count does not move)
    await pool.query(`UPDATE queue_item SET is_open = false WHERE workspace_id = $1 AND excerpt_id = ANY($2::bigint[])`, [
      fx.workspaceId,
      fx.excerptIds.slice(40, 48),
    ]);
    expect(await countOpenItems(fx.workspaceId)).toBe(await exact());
    await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[1], limit: 5 });
    await pool.query(`UPDATE queue_item SET is_open = true WHERE excerpt_id = ANY($1::bigint[])`, [fx.excerptIds.slice(40, 44)]);
    expect(await countOpenItems(fx.workspaceId)).toBe(await exact());

    // moderators deciding at the same time on separate connections (separate counter slots)
    const [A, B] = fx.userIds;
    await Promise.all(
      [A, B].map(async (userId) => {
        const cards = await claimItems({ workspaceId: fx.workspaceId, userId, limit: 6 });
        await Promise.all(
          cards.map((c) => submitDecision({ workspaceId: fx.workspaceId, userId, excerptId: c.excerptId, kind: "label", categoryId: fx.categoryIds[0] })),
        );
      }),
    );
    await undoLastDecision({ workspaceId: fx.workspaceId, userId: A });
    expect(await countOpenItems(fx.workspaceId)).toBe(await exact());

    // a rolled-back change leaves the count alone; deleted items leave it
    const client = await pool.connect();
    await client.query("BEGIN");
    await client.query(`UPDATE queue_item SET is_open = false WHERE workspace_id = $1`, [fx.workspaceId]);
    await client.query("ROLLBACK");
    client.release();
    await pool.query(`DELETE FROM queue_item WHERE excerpt_id = ANY($1::bigint[])`, [fx.excerptIds.slice(0, 3)]);
    const remaining = await exact();
    expect(await countOpenItems(fx.workspaceId)).toBe(remaining);
    expect((await getProgress({ workspaceId: fx.workspaceId, userId: A })).remaining).toBe(remaining);
    expect(remaining).toBeGreaterThan(0);
  });
});
