import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { claimItems } from "./claim-items.ts";
import { pruneQueueClaims } from "./prune-queue-claims.ts";
import { seedQueueFixture, type TQueueFixture } from "./queue-fixtures.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TQueueFixture;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedQueueFixture({ excerpts: 20, users: 2, randomShare: 0, claimBatchSize: 5 });
});
afterAll(() => testDb.drop());

const claimRows = async () =>
  (await getPool().query<{ excerpt_id: string; user_id: number }>(`SELECT excerpt_id::text, user_id FROM queue_claim ORDER BY id`)).rows;

describe("pruneQueueClaims", () => {
  it("deletes only claims whose lease expired longer ago than the retention, and the live leases still come back", async () => {
    const [alice, bob] = fx.userIds;
    const live = await claimItems({ workspaceId: fx.workspaceId, userId: alice });
    const stale = await claimItems({ workspaceId: fx.workspaceId, userId: bob });
    expect(live).toHaveLength(5);
    expect(stale).toHaveLength(5);
    // bob's leases ran out two hours ago; one of alice's lapsed 30 minutes ago (kept: inside the hour)
    const staleIds = stale.map((c) => c.excerptId);
    await getPool().query(`UPDATE queue_claim SET lease_expires_at = now() - interval '2 hours' WHERE user_id = $1`, [bob]);
    await getPool().query(`UPDATE queue_item SET lease_expires_at = now() - interval '2 hours' WHERE excerpt_id = ANY ($1::bigint[])`, [staleIds]);
    await getPool().query(
      `UPDATE queue_claim SET lease_expires_at = now() - interval '30 minutes' WHERE id = (SELECT min(id) FROM queue_claim WHERE user_id = $1)`,
      [alice],
    );

    expect(await pruneQueueClaims()).toEqual({ deleted: 5 });
    const left = await claimRows();
    expect(left).toHaveLength(5);
    expect(left.every((r) => r.user_id === alice)).toBe(true);
    // nothing more to do on a second pass
    expect(await pruneQueueClaims()).toEqual({ deleted: 0 });

    // alice reloads: her four unexpired leases are re-served, plus new items
    const again = await claimItems({ workspaceId: fx.workspaceId, userId: alice });
    const liveIds = live.map((c) => c.excerptId);
    expect(liveIds.slice(1).every((id) => again.some((c) => c.excerptId === id))).toBe(true);
  });

  it("with retention 0 prunes every expired claim, and refuses a negative retention", async () => {
    await getPool().query(`UPDATE queue_claim SET lease_expires_at = now() - interval '1 second'`);
    const before = (await claimRows()).length;
    expect(before).toBeGreaterThan(0);
    expect(await pruneQueueClaims({ retentionSeconds: 0 })).toEqual({ deleted: before });
    await expect(pruneQueueClaims({ retentionSeconds: -1 })).rejects.toThrow(RangeError);
  });
});
