// 20 claimers need 20 connections at once: the pool is created lazily with this size.
process.env.MODLOOP_POOL_MAX = "30";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { CLAIM_SQL, claimItems } from "./claim-items.ts";
import { forgetQueueSettings } from "./get-queue-settings.ts";
import { seedQueueFixture, type TQueueFixture } from "./queue-fixtures.ts";
import { submitDecision } from "./submit-decision.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TQueueFixture;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedQueueFixture({ excerpts: 400, users: 25, randomShare: 0.1 });
});
afterAll(() => testDb.drop());

beforeEach(async () => {
  // every test starts from a fresh queue: all open, no leases, no skips
  await getPool().query(`UPDATE queue_item SET is_open = true, leased_by_id = NULL, lease_expires_at = NULL, skipped_by = '{}'`);
  await getPool().query(`UPDATE queue_item SET labelled_by = NULL WHERE labelled_by IS NOT NULL`);
  await getPool().query(`UPDATE workspace SET random_share = 0.1, claim_batch_size = 5`);
  forgetQueueSettings();
});

describe("claimItems", () => {
  it("leases what it picked by primary-key lookups: no scan of the whole queue, whatever its size", async () => {
    // the picks' LIMITs are expressions the planner cannot read; joined to queue_item, the update walked
    // every queue row (a merge join along the primary key: 380 ms claims at 10M excerpts)
    // a queue of 20,000 more items (removed again below), so the planner's choice is one of size
    await getPool().query(
      `WITH e AS (INSERT INTO excerpt (workspace_id, dedup_key, text) SELECT $1, 'plan-' || g, 'line ' || g FROM generate_series(1, 20000) g RETURNING id)
       INSERT INTO queue_item (excerpt_id, workspace_id, priority, is_open) SELECT id, $1, 0, true FROM e`,
      [fx.workspaceId],
    );
    await getPool().query(`ANALYZE queue_item`);
    const { rows } = await getPool().query<{ "QUERY PLAN": unknown[] }>(`EXPLAIN (FORMAT JSON) ${CLAIM_SQL}`, [fx.workspaceId, fx.userIds[0], 1, 4, true]);
    await getPool().query(`DELETE FROM queue_item WHERE excerpt_id IN (SELECT id FROM excerpt WHERE dedup_key LIKE 'plan-%')`);
    await getPool().query(`DELETE FROM excerpt WHERE dedup_key LIKE 'plan-%'`);
    await getPool().query(`ANALYZE queue_item`);
    type TNode = { "Node Type": string; "Relation Name"?: string; "Index Cond"?: string; "Recheck Cond"?: string; Plans?: TNode[] };
    const scans: TNode[] = [];
    const walk = (n: TNode) => {
      if (n["Relation Name"] === "queue_item" && n["Node Type"] !== "ModifyTable") scans.push(n);
      for (const c of n.Plans ?? []) walk(c);
    };
    walk((rows[0]["QUERY PLAN"][0] as { Plan: TNode }).Plan);
    expect(scans.length).toBeGreaterThan(0);
    // every read of queue_item goes through an index condition (a bitmap scan states it as its recheck)
    expect(scans.filter((n) => !n["Index Cond"] && !n["Recheck Cond"]).map((n) => `${n["Node Type"]} ${n["Relation Name"]}`)).toEqual([]);
  });

  it("20 concurrent claimers on separate connections never share an item", async () => {
    const claimers = fx.userIds.slice(0, 20);
    const seen = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      // the limit counts held items (a reload claims nothing more): 5, 10, 15 add 5 new ones each round
      const batches = await Promise.all(claimers.map((userId) => claimItems({ workspaceId: fx.workspaceId, userId, limit: 5 * (round + 1) })));
      for (const [i, batch] of batches.entries()) {
        for (const card of batch) {
          const owner = seen.get(card.excerptId);
          // a user may get their own held items back; never someone else's
          if (owner !== undefined) expect(owner).toBe(claimers[i]);
          seen.set(card.excerptId, claimers[i]);
        }
      }
    }
    // each round re-serves held items and adds 5 new ones: 20 users × 15 distinct items
    expect(seen.size).toBe(300);
    const { rows } = await getPool().query(`SELECT leased_by_id, count(*)::int AS n FROM queue_item WHERE leased_by_id IS NOT NULL GROUP BY 1`);
    expect(rows).toHaveLength(20);
    for (const r of rows) expect(r.n).toBe(15);
    // the database agrees with what was handed out
    for (const [excerptId, userId] of seen) {
      const { rows: q } = await getPool().query(`SELECT leased_by_id FROM queue_item WHERE excerpt_id = $1`, [excerptId]);
      expect(q[0].leased_by_id).toBe(userId);
    }
  });

  it("serves the highest priority first and leases for workspace.lease_seconds", async () => {
    await getPool().query(`UPDATE workspace SET random_share = 0`);
    forgetQueueSettings();
    const before = Date.now();
    const cards = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0], limit: 4 });
    // priorities repeat in the fixture, so compare the served priorities with the top four
    const { rows: top } = await getPool().query(`SELECT priority FROM queue_item WHERE NOT is_audit ORDER BY priority DESC LIMIT 4`);
    const { rows: served } = await getPool().query(`SELECT priority FROM queue_item WHERE excerpt_id = ANY ($1::bigint[]) ORDER BY priority DESC`, [
      cards.map((c) => c.excerptId),
    ]);
    expect(served).toEqual(top);
    const { rows: order } = await getPool().query(`SELECT excerpt_id::text AS id, priority FROM queue_item WHERE excerpt_id = ANY ($1::bigint[])`, [
      cards.map((c) => c.excerptId),
    ]);
    const priorityOf = new Map(order.map((r) => [r.id, r.priority]));
    const servedOrder = cards.map((c) => priorityOf.get(c.excerptId));
    expect(servedOrder).toEqual([...servedOrder].sort((a, b) => b - a));
    for (const c of cards) {
      const ms = Date.parse(c.leaseExpiresAt) - before;
      expect(ms).toBeGreaterThan(295_000);
      expect(ms).toBeLessThan(305_000);
      expect(c.isAudit).toBe(false);
    }
  });

  it("defaults the batch to workspace.claim_batch_size", async () => {
    await getPool().query(`UPDATE workspace SET claim_batch_size = 3`);
    forgetQueueSettings();
    expect(await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0] })).toHaveLength(3);
  });

  it("returns the items already held first, so a reload loses nothing, and tops the batch up to the limit", async () => {
    const first = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0], limit: 3 });
    // the limit counts the held items: 3 held + 2 new
    const again = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0], limit: 5 });
    expect(again).toHaveLength(5);
    expect(new Set(again.slice(0, 3).map((c) => c.excerptId))).toEqual(new Set(first.map((c) => c.excerptId)));
    expect(again.slice(3).some((c) => first.some((f) => f.excerptId === c.excerptId))).toBe(false);
    // limit 0 is a pure reload
    expect(await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0], limit: 0 })).toHaveLength(5);
  });

  it("a reload resumes the held items instead of claiming another batch (no lease hoarding)", async () => {
    const userId = fx.userIds[1];
    const first = await claimItems({ workspaceId: fx.workspaceId, userId });
    expect(first).toHaveLength(5);
    for (let reload = 0; reload < 4; reload++) {
      const again = await claimItems({ workspaceId: fx.workspaceId, userId });
      expect(new Set(again.map((c) => c.excerptId))).toEqual(new Set(first.map((c) => c.excerptId)));
    }
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM queue_item WHERE leased_by_id = $1 AND lease_expires_at > now()`, [userId]);
    expect(rows[0].n).toBe(5);
    // deciding two leaves three held: the next claim tops up to the batch with two new ones
    for (const card of first.slice(0, 2)) await submitDecision({ workspaceId: fx.workspaceId, userId, excerptId: card.excerptId, kind: "skip" });
    const topped = await claimItems({ workspaceId: fx.workspaceId, userId });
    expect(topped).toHaveLength(5);
    expect(topped.filter((c) => first.some((f) => f.excerptId === c.excerptId))).toHaveLength(3);
  });

  it("reloads that arrive together (the queue page claiming while it renders) lease one batch, not one each", async () => {
    const userId = fx.userIds[2];
    // eight open connections, so the eight claims below run at the same moment rather than one per new connection
    await Promise.all(Array.from({ length: 8 }, () => getPool().query(`SELECT pg_sleep(0.2)`)));
    const reloads = await Promise.all(Array.from({ length: 8 }, () => claimItems({ workspaceId: fx.workspaceId, userId, isOneAtATime: true })));
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM queue_item WHERE leased_by_id = $1 AND lease_expires_at > now()`, [userId]);
    expect(rows[0].n).toBe(5);
    for (const cards of reloads) expect(new Set(cards.map((c) => c.excerptId))).toEqual(new Set(reloads[0]!.map((c) => c.excerptId)));
  });

  it("does not re-serve a decided item, and takes over expired leases", async () => {
    await getPool().query(`UPDATE workspace SET random_share = 0`);
    forgetQueueSettings();
    const [a, b] = fx.userIds;
    const cards = await claimItems({ workspaceId: fx.workspaceId, userId: a, limit: 2 });
    await submitDecision({ workspaceId: fx.workspaceId, userId: a, excerptId: cards[0].excerptId, kind: "label", categoryId: fx.categoryIds[1] });
    await getPool().query(`UPDATE queue_item SET lease_expires_at = now() - interval '1 second' WHERE excerpt_id = $1`, [cards[1].excerptId]);
    // A's expired lease is not "held" any more
    const reload = await claimItems({ workspaceId: fx.workspaceId, userId: a, limit: 0 });
    expect(reload).toHaveLength(0);
    const taken = await claimItems({ workspaceId: fx.workspaceId, userId: b, limit: 1 });
    expect(taken.map((c) => c.excerptId)).toEqual([cards[1].excerptId]);
  });

  it("keeps only the leases still held in the live part of the lease log: decided and skipped items leave it", async () => {
    await getPool().query(`UPDATE workspace SET random_share = 0`);
    forgetQueueSettings();
    const user = fx.userIds[20];
    const live = async () =>
      (
        await getPool().query<{ excerpt_id: string }>(
          `SELECT excerpt_id::text FROM queue_claim WHERE user_id = $1 AND workspace_id = $2 AND lease_expires_at > now() ORDER BY excerpt_id`,
          [user, fx.workspaceId],
        )
      ).rows.map((r) => r.excerpt_id);
    const cards = await claimItems({ workspaceId: fx.workspaceId, userId: user, limit: 4 });
    expect(await live()).toEqual(cards.map((c) => c.excerptId).sort());
    await submitDecision({ workspaceId: fx.workspaceId, userId: user, excerptId: cards[0].excerptId, kind: "label", categoryId: fx.categoryIds[1] });
    await submitDecision({ workspaceId: fx.workspaceId, userId: user, excerptId: cards[1].excerptId, kind: "skip" });
    const held = cards.slice(2).map((c) => c.excerptId);
    expect(await live()).toEqual([...held].sort());
    // a reload still re-serves exactly the two held items
    const reload = await claimItems({ workspaceId: fx.workspaceId, userId: user, limit: 2 });
    expect(reload.map((c) => c.excerptId).sort()).toEqual([...held].sort());
    // another moderator's decision on an item this user holds leaves this user's lease (and log row) alone
    await submitDecision({ workspaceId: fx.workspaceId, userId: fx.userIds[21], excerptId: held[0], kind: "label", categoryId: fx.categoryIds[1] });
    expect(await live()).toEqual([...held].sort());
  });

  it("never serves an item back to a moderator who skipped it", async () => {
    await getPool().query(`UPDATE workspace SET random_share = 0`);
    forgetQueueSettings();
    const [a, b] = fx.userIds;
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: a, limit: 1 });
    await submitDecision({ workspaceId: fx.workspaceId, userId: a, excerptId: card.excerptId, kind: "skip" });
    const next = await claimItems({ workspaceId: fx.workspaceId, userId: a, limit: 1 });
    expect(next[0].excerptId).not.toBe(card.excerptId);
    // someone else gets it: it is the top open item again
    const other = await claimItems({ workspaceId: fx.workspaceId, userId: b, limit: 1 });
    expect(other[0].excerptId).toBe(card.excerptId);
  });

  it("takes audit slots from the audit slice and fills from the other pool when one is empty", async () => {
    await getPool().query(`UPDATE workspace SET random_share = 1`);
    forgetQueueSettings();
    const allAudit = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0], limit: 5 });
    expect(allAudit.every((c) => c.isAudit)).toBe(true);

    // empty the audit pool: every batch slot is audit, so all must come from the ranked pool
    await getPool().query(`UPDATE queue_item SET is_open = false WHERE is_audit`);
    const filled = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[1], limit: 5 });
    expect(filled).toHaveLength(5);
    expect(filled.every((c) => !c.isAudit)).toBe(true);

    // and the other way round
    await getPool().query(`UPDATE queue_item SET is_open = NOT is_open`);
    await getPool().query(`UPDATE workspace SET random_share = 0`);
    forgetQueueSettings();
    const fromAudit = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[2], limit: 5 });
    expect(fromAudit).toHaveLength(5);
    expect(fromAudit.every((c) => c.isAudit)).toBe(true);
  });

  it("stops at the end of the queue", async () => {
    await getPool().query(`UPDATE queue_item SET is_open = false WHERE excerpt_id NOT IN (SELECT excerpt_id FROM queue_item ORDER BY excerpt_id LIMIT 3)`);
    const cards = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0], limit: 5 });
    expect(cards).toHaveLength(3);
    expect(await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[1], limit: 5 })).toHaveLength(0);
  });

  it("builds cards with the suggestion and the conversation around the excerpt", async () => {
    // excerpt index 12 sits in conversation c1 (10 lines per conversation): 2 lines before, 7 after
    const excerptId = fx.excerptIds[12];
    await getPool().query(`UPDATE queue_item SET is_open = (excerpt_id = $1)`, [excerptId]);
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0], limit: 1 });
    expect(card.excerptId).toBe(excerptId);
    expect(card.text).toBe("line 12");
    expect(card.conversationId).toBe("c1");
    expect(card.speakerId).toBe("s0");
    expect(card.occurredAt).toBe("2026-11-28T10:00:12.000Z");
    expect(card.context.before.map((l) => l.text)).toEqual(["line 10", "line 11"]);
    expect(card.context.after.map((l) => l.text)).toEqual(["line 13", "line 14", "line 15"]);
    expect(card.context.after[0]).toEqual({ excerptId: fx.excerptIds[13], text: "line 13", speakerId: "s1", occurredAt: "2026-11-28T10:00:13.000Z" });

    const { rows } = await getPool().query(`SELECT probs, suggested_category_id, confidence, toxic_score FROM prediction WHERE excerpt_id = $1`, [excerptId]);
    const s = card.suggestion!;
    expect(s.categoryId).toBe(rows[0].suggested_category_id);
    expect(s.confidence).toBeCloseTo(rows[0].confidence, 6);
    expect(s.toxicScore).toBeCloseTo(rows[0].toxic_score, 6);
    expect(s.modelVersionId).toBe(fx.modelVersionId);
    expect(s.modelVersion).toBe("v-test");
    expect(Object.keys(s.probsByCategoryId).map(Number).sort()).toEqual([...fx.categoryIds].sort());
    fx.categoryIds.forEach((categoryId, i) => expect(s.probsByCategoryId[categoryId]).toBeCloseTo(rows[0].probs[i], 6));
  });

  it("shows the speaker's most recent labelled lines, newest first, never the excerpt itself", async () => {
    // excerpt 12's speaker is s0; label three of s0's other lines and one of another speaker
    const excerptId = fx.excerptIds[12];
    const { rows: same } = await getPool().query<{ id: string }>(
      `SELECT id::text FROM excerpt WHERE workspace_id = $1 AND speaker_id = 's0' AND id <> $2 ORDER BY id LIMIT 3`,
      [fx.workspaceId, excerptId],
    );
    const { rows: other } = await getPool().query<{ id: string }>(`SELECT id::text FROM excerpt WHERE workspace_id = $1 AND speaker_id = 's1' LIMIT 1`, [
      fx.workspaceId,
    ]);
    const labelled = [...same.map((r) => r.id), other[0].id, excerptId];
    await getPool().query(`UPDATE excerpt SET current_category_id = $2 WHERE id = ANY ($1::bigint[])`, [labelled, fx.categoryIds[1]]);
    try {
      await getPool().query(`UPDATE queue_item SET is_open = (excerpt_id = $1), leased_by_id = NULL, lease_expires_at = NULL`, [excerptId]);
      const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[1], limit: 1 });
      expect(card.excerptId).toBe(excerptId);
      const shown = card.speakerHistory!.map((h) => h.excerptId);
      // (earlier tests labelled some of s0's lines too): ours are there, newest first, the card's own and s1's are not
      expect(shown.filter((id) => same.some((r) => r.id === id))).toEqual(same.map((r) => r.id).reverse());
      expect(shown).toEqual([...shown].sort((a, b) => Number(b) - Number(a)));
      expect(shown).not.toContain(excerptId);
      expect(shown).not.toContain(other[0].id);
      expect(shown.length).toBeLessThanOrEqual(5);
      expect(card.speakerHistory!.every((h) => h.text.startsWith("line "))).toBe(true);
    } finally {
      await getPool().query(`UPDATE excerpt SET current_category_id = NULL WHERE id = ANY ($1::bigint[])`, [labelled]);
    }
  });

  it("gives a card without a prediction no suggestion", async () => {
    const excerptId = fx.excerptIds[0];
    await getPool().query(`UPDATE queue_item SET is_open = (excerpt_id = $1), prediction_id = CASE WHEN excerpt_id = $1 THEN NULL ELSE prediction_id END`, [
      excerptId,
    ]);
    const [card] = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0], limit: 1 });
    expect(card.suggestion).toBeNull();
    expect(card.context.before).toEqual([]);
    expect(card.context.after).toHaveLength(3);
    await getPool().query(`UPDATE queue_item q SET prediction_id = p.id FROM prediction p WHERE p.excerpt_id = q.excerpt_id AND q.excerpt_id = $1`, [
      excerptId,
    ]);
  });

  it("leases stay HOT-updatable: no index on queue_item covers a column a claim writes", async () => {
    // An index on leased_by_id (or any lease column) would make every claim a non-HOT update and bring
    // back the dead-entry pile-up at the top of queue_item_claim_idx that made claims slow at scale.
    // Whether one particular update ends up HOT also depends on free space in its page, so the
    // guarantee worth testing is the structural one: the columns a claim writes are in no index
    // (key columns, expressions or partial-index predicates).
    const { rows } = await getPool().query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'queue_item'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const claimWrites = ["leased_by_id", "lease_expires_at", "updated_at"];
    const offending = rows.filter((r) => claimWrites.some((c) => r.indexdef.includes(c)));
    expect(offending).toEqual([]);
    // and a claim really does write those columns (so the check above guards something)
    const { rows: claimed } = await getPool().query(CLAIM_SQL, [fx.workspaceId, fx.userIds[0], 0, 1, true]);
    expect(claimed).toHaveLength(1);
    const { rows: leased } = await getPool().query(`SELECT leased_by_id, lease_expires_at > now() AS is_live FROM queue_item WHERE leased_by_id = $1`, [
      fx.userIds[0],
    ]);
    expect(leased.length).toBeGreaterThan(0);
    expect(leased.every((r: { is_live: boolean }) => r.is_live)).toBe(true);
  });

  it("never serves another workspace's items, and rejects a bad limit", async () => {
    expect(await claimItems({ workspaceId: fx.workspaceId + 999, userId: fx.userIds[0], limit: 1 }).catch((e) => e.code)).toBe("NOT_FOUND");
    await expect(claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0], limit: -1 })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[0], limit: 1.5 })).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
