import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateHistory, historyRandom } from "@/lib/labels/decision-histories.ts";
import { getPool } from "../db/pool.ts";
import { forgetQueueSettings } from "../queue/get-queue-settings.ts";
import { seedQueueFixture, type TQueueFixture } from "../queue/queue-fixtures.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { findLabelMismatches } from "./find-label-mismatches.ts";
import { replayHistory } from "./replay-history.ts";

const HISTORIES = 240;
const LANES = 8;
const USERS_PER_LANE = 3;

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TQueueFixture;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedQueueFixture({ excerpts: HISTORIES, users: LANES * USERS_PER_LANE, randomShare: 0 });
  await getPool().query(`UPDATE app_user SET is_senior = true WHERE id = ANY($1::int[])`, [fx.userIds]);
  // a share of the items are overlap items, as in production
  await getPool().query(`UPDATE queue_item SET required_reviews = 2 WHERE workspace_id = $1 AND excerpt_id % 4 = 0`, [fx.workspaceId]);
});
afterAll(() => testDb.drop());
beforeEach(() => forgetQueueSettings());

describe("the cached label (excerpt.current_category_id) follows lib/labels", () => {
  it(`on ${HISTORIES} generated histories played through the app's write paths, eight moderators' lanes at once`, async () => {
    const { rows: cats } = await getPool().query<{ id: number; name: string }>(
      `SELECT id, name FROM category WHERE workspace_id = $1 AND is_active ORDER BY sort_order`,
      [fx.workspaceId],
    );
    const rand = historyRandom(7);
    const histories = fx.excerptIds.map((excerptId) => ({
      excerptId,
      steps: generateHistory(rand, { users: USERS_PER_LANE, categories: cats.length, maxSteps: 7, canRedo: false }),
    }));
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const userIds = fx.userIds.slice(lane * USERS_PER_LANE, (lane + 1) * USERS_PER_LANE);
        for (let i = lane; i < histories.length; i += LANES) {
          const { excerptId, steps } = histories[i];
          await replayHistory(
            { workspaceId: fx.workspaceId, excerptId, userIds, categoryIds: cats.map((c) => c.id), categoryNames: cats.map((c) => c.name) },
            steps,
          );
        }
      }),
    );
    const { excerpts, mismatches } = await findLabelMismatches({ workspaceId: fx.workspaceId });
    expect(excerpts).toBeGreaterThan(HISTORIES * 0.9);
    if (mismatches.length && process.env.DEBUG_LABELS) {
      for (const m of mismatches.slice(0, 3)) {
        const { rows } = await getPool().query(
          `SELECT id::text, kind::text, origin::text, user_id, category_id, reverses_id::text, created_at FROM decision WHERE excerpt_id = $1 ORDER BY id`,
          [m.excerptId],
        );
        console.log(JSON.stringify({ m, steps: histories.find((h) => h.excerptId === m.excerptId)!.steps, rows }));
      }
    }
    expect(mismatches).toEqual([]);
    // the histories did exercise every write path
    const { rows } = await getPool().query<{ origin: string; kind: string }>(`SELECT DISTINCT origin::text, kind::text FROM decision WHERE workspace_id = $1`, [
      fx.workspaceId,
    ]);
    const seen = new Set(rows.map((r) => `${r.origin}/${r.kind}`));
    for (const k of ["queue/label", "queue/skip", "queue/reversal", "review/label", "adjudication/label", "import/label"]) expect(seen).toContain(k);
  });
});
