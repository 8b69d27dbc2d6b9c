import { afterAll, beforeAll, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { seedQueueFixture } from "../queue/queue-fixtures.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { selectTrainingLabels } from "./select-training-labels.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

it("never trains on a text equal (normalised) to a gold row's, as the export's near-duplicate grouping keeps it out of training", async () => {
  const fx = await seedQueueFixture({ excerpts: 6, users: 1, randomShare: 0 });
  const [goldId, twinId, otherId] = fx.excerptIds;
  const [, insult, threat] = fx.categoryIds;
  const label = async (id: string, text: string, categoryId: number, isHeldOut: boolean) => {
    await getPool().query(`UPDATE excerpt SET text = $2, current_category_id = $3, held_out = $4 WHERE id = $1`, [id, text, categoryId, isHeldOut]);
    await getPool().query(`INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id) VALUES ($1, $2, $3, 'label', 'import', $4)`, [
      fx.workspaceId,
      id,
      fx.userIds[0],
      categoryId,
    ]);
  };
  await label(goldId, "you are SO bad", insult, true); // held-out: gold
  await label(twinId, "You are SO bad!!!", threat, false); // the same example to a classifier, another label
  await label(otherId, "nice shot", insult, false);
  const { rows, goldExcluded, nearDuplicatesExcluded } = await selectTrainingLabels({ workspaceId: fx.workspaceId });
  expect(goldExcluded).toBe(1);
  expect(nearDuplicatesExcluded).toBe(1);
  expect(rows.map((r) => r.id)).toEqual([otherId]);
});
