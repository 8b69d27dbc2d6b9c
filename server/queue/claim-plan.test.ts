import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { CLAIM_SQL } from "./claim-items.ts";
import { seedQueueFixture, type TQueueFixture } from "./queue-fixtures.ts";

/**
 * The claim statement's plan, as PostgreSQL builds it for the named statement once it goes generic: the
 * planner must know a claim touches a handful of rows. When it guessed 10% of the queue instead, the
 * claim became a sequential scan of queue_item plus merge and hash joins over every excerpt and
 * prediction (24 s per claim at 1M queued, found by bench/http.ts).
 */

type TPlanNode = { "Node Type": string; "Relation Name"?: string; "Plan Rows": number; Plans?: TPlanNode[] };

const walk = (node: TPlanNode, visit: (n: TPlanNode) => void) => {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
};

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fx: TQueueFixture;

beforeAll(async () => {
  testDb = await createTestDatabase();
  fx = await seedQueueFixture({ excerpts: 20_000, users: 2, randomShare: 0.1, slug: "ws-plan" });
  await getPool().query("ANALYZE");
});
afterAll(() => testDb.drop());

describe("the claim statement's generic plan at 20,000 queued", () => {
  it("expects a handful of leased rows and looks every card up by index", async () => {
    const client = await getPool().connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL plan_cache_mode = force_generic_plan");
      await client.query(`PREPARE claim_plan (int, int, int, int, boolean) AS ${CLAIM_SQL}`);
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: TPlanNode }] }>(
        `EXPLAIN (FORMAT JSON) EXECUTE claim_plan(${fx.workspaceId}, ${fx.userIds[0]}, 1, 7, true)`,
      );
      await client.query("ROLLBACK");
      const nodes: TPlanNode[] = [];
      walk(rows[0]!["QUERY PLAN"][0].Plan, (n) => nodes.push(n));
      const update = nodes.find((n) => n["Node Type"] === "ModifyTable" && n["Relation Name"] === "queue_item");
      expect(update?.["Plan Rows"]).toBeLessThanOrEqual(50);
      // the tables that grow with the queue (queue_claim is pruned of expired leases, workspace is a row)
      const scanned = nodes.filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"]);
      expect(scanned.filter((t) => t === "queue_item" || t === "excerpt" || t === "prediction")).toEqual([]);
      expect(nodes.filter((n) => n["Node Type"] === "Hash Join" || n["Node Type"] === "Merge Join")).toEqual([]);
    } finally {
      client.release();
    }
  });
});
