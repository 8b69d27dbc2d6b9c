import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { explainNodes } from "../test/query-plan.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { seedQueueFixture } from "./queue-fixtures.ts";
import { LAST_SQL } from "./undo-last-decision.ts";

let drop: () => Promise<void>;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
});

afterAll(async () => {
  await drop();
});

describe("finding the decision an undo reverses", () => {
  it("walks the moderator's own decisions and probes each one's reversal, however stale the statistics", async () => {
    const fx = await seedQueueFixture({ excerpts: 4000, users: 2 });
    const [me, other] = fx.userIds as [number, number];
    const pool = getPool();
    // statistics taken before the workspace had any decision (a new workspace, autoanalyze not yet run)
    await pool.query("ANALYZE decision");
    // both moderators label every excerpt; nothing is reversed yet
    for (const userId of [other, me]) {
      await pool.query(
        `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id)
         SELECT $1, e, $2, 'label', 'queue', $3 FROM unnest($4::bigint[]) e`,
        [fx.workspaceId, userId, fx.categoryIds[1], fx.excerptIds],
      );
    }
    // then the other moderator undoes 3,000 of theirs (a day of undos in a busy workspace)
    await pool.query(
      `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, reverses_id)
       SELECT workspace_id, excerpt_id, user_id, 'reversal', 'queue', id FROM decision WHERE user_id = $1 ORDER BY id LIMIT 3000`,
      [other],
    );

    const plan = await explainNodes(LAST_SQL, [fx.workspaceId, me]);
    // an anti join over materialised reversals compares every walked decision with all of them
    expect(plan.filter((n) => n["Join Type"] === "Anti" || n["Node Type"] === "Materialize" || n["Node Type"] === "Hash")).toEqual([]);
    // the walk is this moderator's decisions, newest first — not every decision of the workspace
    const indexes = plan.flatMap((n) => (n["Index Name"] ? [n["Index Name"]] : []));
    expect(indexes).toContain("decision_user_id_created_at_idx");
    expect(indexes).not.toContain("decision_workspace_id_created_at_idx");
    expect(indexes).toContain("decision_reverses_id_idx");
  });
});
