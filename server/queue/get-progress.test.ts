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

  it("keeps decided-today equal to a recount of each moderator's day over random histories spanning days, with reversals of all kinds", async () => {
    const pool = getPool();
    const users = fx.userIds.slice(0, 2);
    const days = 3;
    // a timeline of decisions, oldest first, from two days ago until now: labels, skips, a moderator's
    // reversals of their own labels (same day or later), double reversals, reversals of another
    // moderator's label and of a reversal; some written several to a statement
    let seed = 42;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    const start = Date.now() - days * 86_400_000 + 60_000;
    const made: { id: string; userId: number; kind: string }[] = [];
    const reversedBy = new Map<number, string[]>();
    let at = start;
    for (let round = 0; round < 120; round++) {
      const batch: { userId: number; kind: string; reversesId: string | null; at: Date }[] = [];
      const size = random() < 0.2 ? 3 : 1;
      for (let i = 0; i < size; i++) {
        at += Math.floor(random() * ((days * 86_400_000 - 120_000) / 140));
        const userId = users[Math.floor(random() * users.length)];
        const r = random();
        const own = made.filter((d) => d.userId === userId);
        if (r < 0.3 && own.length > 0) {
          const reversedBefore = reversedBy.get(userId) ?? [];
          const pick = random();
          const target =
            pick < 0.3 && reversedBefore.length > 0
              ? reversedBefore[reversedBefore.length - 1] // the same label reversed again
              : pick < 0.85
                ? own[Math.floor(random() * own.length)].id
                : made[Math.floor(random() * made.length)].id;
          reversedBy.set(userId, [...reversedBefore, target]);
          batch.push({ userId, kind: "reversal", reversesId: target, at: new Date(at) });
        } else {
          batch.push({ userId, kind: r < 0.4 ? "skip" : "label", reversesId: null, at: new Date(at) });
        }
      }
      const { rows } = await pool.query<{ id: string; user_id: number; kind: string }>(
        `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, category_id, reverses_id, created_at)
         SELECT $1, $2, u, k::"DecisionKind", CASE WHEN k = 'label' THEN $3::int END, r, t
         FROM unnest($4::int[], $5::text[], $6::bigint[], $7::timestamptz[]) AS x(u, k, r, t)
         RETURNING id::text, user_id, kind::text`,
        [
          fx.workspaceId,
          fx.excerptIds[48],
          fx.categoryIds[0],
          batch.map((b) => b.userId),
          batch.map((b) => b.kind),
          batch.map((b) => b.reversesId),
          batch.map((b) => b.at.toISOString()),
        ],
      );
      made.push(...rows.map((row) => ({ id: row.id, userId: row.user_id, kind: row.kind })));
    }
    expect(made.filter((d) => d.kind === "reversal").length).toBeGreaterThan(5);
    // the recount the progress line used to do, for any UTC day
    const recount = async (userId: number, day: string) =>
      (
        await pool.query<{ n: number }>(
          `WITH d AS (SELECT id, kind, reverses_id FROM decision
                      WHERE user_id = $2 AND workspace_id = $1 AND created_at >= $3::date AT TIME ZONE 'UTC' AND created_at < ($3::date + 1) AT TIME ZONE 'UTC')
           SELECT count(*)::int AS n FROM d t
           WHERE t.kind = 'label' AND t.id NOT IN (SELECT reverses_id FROM d WHERE kind = 'reversal' AND reverses_id IS NOT NULL)`,
          [fx.workspaceId, userId, day],
        )
      ).rows[0].n;
    const counted = async (userId: number, day: string) =>
      (
        await pool.query<{ n: number }>(
          `SELECT coalesce(sum(n), 0)::int AS n FROM decided_day_count WHERE workspace_id = $1 AND user_id = $2 AND day = $3::date`,
          [fx.workspaceId, userId, day],
        )
      ).rows[0].n;
    let nonZero = 0;
    for (let back = 0; back <= days; back++) {
      const day = new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
      for (const userId of users) {
        const expected = await recount(userId, day);
        if (expected > 0) nonZero++;
        expect({ userId, day, n: await counted(userId, day) }).toEqual({ userId, day, n: expected });
      }
    }
    expect(nonZero).toBeGreaterThan(2);
    for (const userId of users) {
      const today = new Date().toISOString().slice(0, 10);
      expect((await getProgress({ workspaceId: fx.workspaceId, userId })).decidedToday).toBe(await recount(userId, today));
    }
  });
});
