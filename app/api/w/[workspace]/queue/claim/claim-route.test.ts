import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSession } from "@/server/auth/session.ts";
import { getPool } from "@/server/db/pool.ts";
import { seedQueueFixture, type TQueueFixture } from "@/server/queue/queue-fixtures.ts";
import { createTestDatabase } from "@/server/test/test-db.ts";
import { POST as claim } from "./route.ts";

/**
 * The claim route with real requests against a real database: its batch size and random share are the
 * workspace row the route wrapper read with the session, so an admin's change is seen by the very next
 * claim (no per-process cache in between to serve the old settings for a few seconds).
 */

const ORIGIN = "http://modloop.test";
const SLUG = "ws-claim-route";

let drop: () => Promise<void>;
let fx: TQueueFixture;
const tokens: string[] = [];

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  fx = await seedQueueFixture({ excerpts: 200, users: 3, randomShare: 0.1, claimBatchSize: 5, slug: SLUG });
  for (const userId of fx.userIds) {
    await getPool().query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, 'moderator')`, [fx.workspaceId, userId]);
    tokens.push((await createSession(userId)).token);
  }
});
afterAll(() => drop());

beforeEach(async () => {
  await getPool().query(`UPDATE queue_item SET leased_by_id = NULL, lease_expires_at = NULL`);
  await getPool().query(`UPDATE workspace SET random_share = 0, claim_batch_size = 5`);
});

async function claimAs(token: string): Promise<{ excerptId: string; isAudit: boolean }[]> {
  const res = await claim(
    new Request(`${ORIGIN}/api/w/${SLUG}/queue/claim`, { method: "POST", headers: { cookie: `modloop_session=${token}`, origin: ORIGIN } }),
    { params: Promise.resolve({ workspace: SLUG }) },
  );
  expect(res.status).toBe(200);
  return (await res.json()).cards;
}

describe("POST /api/w/:workspace/queue/claim", () => {
  it("claims the workspace's batch size, from the ranked pool when its random share is 0", async () => {
    const cards = await claimAs(tokens[0]!);
    expect(cards).toHaveLength(5);
    // each slot is an audit with probability random_share (lib/ranking/rank.ts auditSlots): a share of 0
    // makes none; a share of 0.1 made two or more in ~8% of runs, which this test once asserted could not happen
    expect(cards.some((c) => c.isAudit)).toBe(false);
  });

  it("sees a settings change at the next claim, not after a cache expires", async () => {
    expect(await claimAs(tokens[0]!)).toHaveLength(5);
    await getPool().query(`UPDATE workspace SET claim_batch_size = 3, random_share = 1 WHERE id = $1`, [fx.workspaceId]);
    const cards = await claimAs(tokens[1]!);
    expect(cards).toHaveLength(3);
    expect(cards.every((c) => c.isAudit)).toBe(true);
    await getPool().query(`UPDATE workspace SET claim_batch_size = 7, random_share = 0 WHERE id = $1`, [fx.workspaceId]);
    const next = await claimAs(tokens[2]!);
    expect(next).toHaveLength(7);
    expect(next.some((c) => c.isAudit)).toBe(false);
  });
});
