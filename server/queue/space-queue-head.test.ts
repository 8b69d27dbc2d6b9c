import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMOTED_OFFSET } from "@/lib/ranking/diversify.ts";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { claimItems } from "./claim-items.ts";
import { forgetQueueSettings } from "./get-queue-settings.ts";
import { seedQueueFixture, type TQueueFixture } from "./queue-fixtures.ts";
import { spaceQueueHead } from "./space-queue-head.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TQueueFixture;

/**
 * The open queue for each test, best first: a look-alike of an item above it (cosine ≥ 0.77 on the
 * default featurizer; every unrelated pair here is ≤ 0.24) should wait behind every distinct item.
 */
const QUEUE = [
  { key: "insult", text: "you are a useless idiot, uninstall the game", priority: 0.95 },
  { key: "insult-copy", text: "you are a useless idiot, uninstall the game!!", priority: 0.94 },
  { key: "rotate", text: "rotate to B site after the smoke", priority: 0.93 },
  { key: "insult-variant", text: "you are such a useless idiot, uninstall this game", priority: 0.92 },
  { key: "spam", text: "cheap gold at goldfarm dot biz", priority: 0.91 },
  { key: "praise", text: "nice shot mate, well played", priority: 0.9 },
  { key: "spam-copy", text: "CHEAP GOLD at goldfarm dot biz now", priority: 0.89 },
  { key: "requeue", text: "who wants to queue again after this", priority: 0.5 },
  // the audit slice is a uniform sample measured as served: never spaced, and no one's twin
  { key: "audit-copy", text: "you are a useless idiot, uninstall the game", priority: 0.99, isAudit: true },
] as const;
type TKey = (typeof QUEUE)[number]["key"];
const idOf = new Map<TKey, string>();
const keyOf = new Map<string, TKey>();

async function priorities(): Promise<Record<TKey, number>> {
  const { rows } = await getPool().query<{ id: string; priority: number }>(
    `SELECT excerpt_id::text AS id, priority FROM queue_item WHERE excerpt_id = ANY ($1::bigint[])`,
    [[...idOf.values()]],
  );
  return Object.fromEntries(rows.map((r) => [keyOf.get(r.id)!, r.priority])) as Record<TKey, number>;
}

/** Open ranked items, best first, by key. */
async function servingOrder(): Promise<TKey[]> {
  const { rows } = await getPool().query<{ id: string }>(
    `SELECT excerpt_id::text AS id FROM queue_item WHERE workspace_id = $1 AND is_open AND NOT is_audit ORDER BY priority DESC`,
    [fx.workspaceId],
  );
  return rows.map((r) => keyOf.get(r.id)!);
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedQueueFixture({ excerpts: QUEUE.length + 3, users: 2, randomShare: 0 });
  QUEUE.forEach((item, i) => {
    idOf.set(item.key, fx.excerptIds[i]);
    keyOf.set(fx.excerptIds[i], item.key);
  });
  await getPool().query(`UPDATE excerpt e SET text = u.text FROM unnest($1::bigint[], $2::text[]) AS u(id, text) WHERE e.id = u.id`, [
    QUEUE.map((q) => idOf.get(q.key)),
    QUEUE.map((q) => q.text),
  ]);
});
afterAll(() => testDb.drop());

beforeEach(async () => {
  const pool = getPool();
  // margin, no flagged tier, spacing at 0.5 (the default is 0.7; these lines are built around 0.5)
  await pool.query(`UPDATE workspace SET rank_strategy = 'margin', flagged_first = false, max_similarity = 0.5, random_share = 0 WHERE id = $1`, [
    fx.workspaceId,
  ]);
  // only QUEUE is open, at its ranked priorities, with no leases
  await pool.query(`UPDATE queue_item SET is_open = false, leased_by_id = NULL, lease_expires_at = NULL WHERE workspace_id = $1`, [fx.workspaceId]);
  await pool.query(
    `UPDATE queue_item q SET is_open = true, priority = u.priority, is_audit = u.is_audit
       FROM unnest($1::bigint[], $2::float8[], $3::bool[]) AS u(id, priority, is_audit) WHERE q.excerpt_id = u.id`,
    [QUEUE.map((q) => idOf.get(q.key)), QUEUE.map((q) => q.priority), QUEUE.map((q) => "isAudit" in q && q.isAudit)],
  );
  forgetQueueSettings();
});

describe("spaceQueueHead", () => {
  it("demotes near-duplicates behind every distinct item, each group in its ranked order", async () => {
    const result = await spaceQueueHead({ workspaceId: fx.workspaceId });
    expect(result).toEqual({ examined: 8, demoted: 3, changed: 3 });
    expect(await servingOrder()).toEqual(["insult", "rotate", "spam", "praise", "requeue", "insult-copy", "insult-variant", "spam-copy"]);
    const p = await priorities();
    // kept items keep their ranked priority; demoted ones sit exactly DEMOTED_OFFSET below theirs
    expect(p.insult).toBe(0.95);
    expect(p.requeue).toBe(0.5);
    expect(p["insult-copy"]).toBeCloseTo(0.94 - DEMOTED_OFFSET, 12);
    expect(p["spam-copy"]).toBeCloseTo(0.89 - DEMOTED_OFFSET, 12);
    // the audit copy is neither spaced nor anyone's twin
    expect(p["audit-copy"]).toBe(0.99);
  });

  it("is idempotent: a second call changes nothing", async () => {
    await spaceQueueHead({ workspaceId: fx.workspaceId });
    const { rows: before } = await getPool().query(`SELECT excerpt_id, priority, updated_at FROM queue_item ORDER BY excerpt_id`);
    expect(await spaceQueueHead({ workspaceId: fx.workspaceId })).toEqual({ examined: 8, demoted: 3, changed: 0 });
    const { rows: after } = await getPool().query(`SELECT excerpt_id, priority, updated_at FROM queue_item ORDER BY excerpt_id`);
    expect(after).toEqual(before);
  });

  it("restores a demoted item once its kept twin is labelled (closed), and keeps demoting the twin's other copies", async () => {
    await spaceQueueHead({ workspaceId: fx.workspaceId });
    await getPool().query(`UPDATE queue_item SET is_open = false WHERE excerpt_id = $1`, [idOf.get("insult")]);
    expect(await spaceQueueHead({ workspaceId: fx.workspaceId })).toEqual({ examined: 7, demoted: 2, changed: 1 });
    expect(await servingOrder()).toEqual(["insult-copy", "rotate", "spam", "praise", "requeue", "insult-variant", "spam-copy"]);
    expect((await priorities())["insult-copy"]).toBeCloseTo(0.94, 12);
  });

  it("picks the head by ranked priority, demoted or not", async () => {
    await spaceQueueHead({ workspaceId: fx.workspaceId });
    // the two best by ranked priority are "insult" (0.95) and the demoted "insult-copy" (0.94), not "rotate"
    expect(await spaceQueueHead({ workspaceId: fx.workspaceId, headSize: 2 })).toEqual({ examined: 2, demoted: 1, changed: 0 });
  });

  it("moves leased items without touching their lease", async () => {
    const pool = getPool();
    await pool.query(`UPDATE queue_item SET leased_by_id = $2, lease_expires_at = now() + interval '5 minutes' WHERE excerpt_id = $1`, [
      idOf.get("spam-copy"),
      fx.userIds[0],
    ]);
    await spaceQueueHead({ workspaceId: fx.workspaceId });
    const { rows } = await pool.query(`SELECT leased_by_id, lease_expires_at > now() AS live, priority < 0 AS demoted FROM queue_item WHERE excerpt_id = $1`, [
      idOf.get("spam-copy"),
    ]);
    expect(rows[0]).toEqual({ leased_by_id: fx.userIds[0], live: true, demoted: true });
  });

  it("does nothing when spacing is off or the strategy is not an uncertainty one", async () => {
    const pool = getPool();
    const { rows: before } = await pool.query(`SELECT excerpt_id, priority FROM queue_item ORDER BY excerpt_id`);
    await pool.query(`UPDATE workspace SET max_similarity = NULL WHERE id = $1`, [fx.workspaceId]);
    expect(await spaceQueueHead({ workspaceId: fx.workspaceId })).toEqual({ examined: 0, demoted: 0, changed: 0 });
    await pool.query(`UPDATE workspace SET max_similarity = 0.5, rank_strategy = 'toxic_score' WHERE id = $1`, [fx.workspaceId]);
    expect(await spaceQueueHead({ workspaceId: fx.workspaceId })).toEqual({ examined: 0, demoted: 0, changed: 0 });
    const { rows: after } = await pool.query(`SELECT excerpt_id, priority FROM queue_item ORDER BY excerpt_id`);
    expect(after).toEqual(before);
  });

  it("a stricter similarity keeps the variant that the default demotes", async () => {
    // "insult-variant" is 0.79 alike to "insult", the exact copies ≥ 0.94
    await getPool().query(`UPDATE workspace SET max_similarity = 0.9 WHERE id = $1`, [fx.workspaceId]);
    expect(await spaceQueueHead({ workspaceId: fx.workspaceId })).toMatchObject({ examined: 8, demoted: 2 });
    expect(await servingOrder()).toEqual(["insult", "rotate", "insult-variant", "spam", "praise", "requeue", "insult-copy", "spam-copy"]);
  });

  it("moderators are served in the spaced order", async () => {
    await spaceQueueHead({ workspaceId: fx.workspaceId });
    const cards = await claimItems({ workspaceId: fx.workspaceId, userId: fx.userIds[1], limit: 8 });
    expect(cards.map((c) => keyOf.get(c.excerptId))).toEqual(["insult", "rotate", "spam", "praise", "requeue", "insult-copy", "insult-variant", "spam-copy"]);
  });

  it("refuses an unknown workspace", async () => {
    await expect(spaceQueueHead({ workspaceId: 987654 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
