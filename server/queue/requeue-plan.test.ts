import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "../db/pool.ts";
import { explainNodes } from "../test/query-plan.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { REQUEUE_BATCH_SQL } from "./requeue-workspace.ts";

let drop: () => Promise<void>;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
});

afterAll(async () => {
  await drop();
});

async function addVersion(workspaceId: number, version: string, categoryIds: number[]): Promise<number> {
  const { rows } = await getPool().query<{ id: number }>(
    `INSERT INTO model_version (workspace_id, version, kind, status, manifest, onnx, category_ids)
     VALUES ($1, $2, 'hashed-linear', 'active', '{}', '\\x00', $3) RETURNING id`,
    [workspaceId, version, categoryIds],
  );
  return rows[0].id;
}

async function predictAll(workspaceId: number, modelVersionId: number): Promise<void> {
  await getPool().query(
    `INSERT INTO prediction (excerpt_id, model_version_id, probs, toxic_score, suggested_category_id, confidence)
     SELECT e.id, $2, '{0.5,0.5}', 0.5, (SELECT category_ids[1] FROM model_version WHERE id = $2), 0.5 FROM excerpt e WHERE e.workspace_id = $1`,
    [workspaceId, modelVersionId],
  );
}

describe("re-ranking the queue after a promotion", () => {
  it("probes each queue item's prediction when the statistics predate the new version's predictions", async () => {
    const pool = getPool();
    const { rows: ws } = await pool.query<{ id: number }>(`INSERT INTO workspace (slug, name) VALUES ('rq', 'rq') RETURNING id`);
    const workspaceId = ws[0].id;
    const { rows: cats } = await pool.query<{ id: number }>(
      `INSERT INTO category (workspace_id, name, hotkey, sort_order, is_non_toxic) VALUES ($1, 'ok', 1, 1, true), ($1, 'insult', 2, 2, false) RETURNING id`,
      [workspaceId],
    );
    const categoryIds = cats.map((c) => c.id);
    await pool.query(
      `INSERT INTO excerpt (workspace_id, dedup_key, external_id, text, source)
       SELECT $1::int, $1::int || ':' || g, 'x' || g, 'text ' || g, 'text' FROM generate_series(1, 20000) g`,
      [workspaceId],
    );
    await pool.query(`INSERT INTO queue_item (excerpt_id, workspace_id, priority) SELECT id, workspace_id, 0.5 FROM excerpt WHERE workspace_id = $1`, [
      workspaceId,
    ]);
    await predictAll(workspaceId, await addVersion(workspaceId, "v1", categoryIds));
    // statistics from before the new version scored anything: it "has no predictions"
    const v2 = await addVersion(workspaceId, "v2", categoryIds);
    await pool.query("ANALYZE excerpt, prediction, queue_item");
    await predictAll(workspaceId, v2);

    const predictionScans = (await explainNodes(REQUEUE_BATCH_SQL, [workspaceId, v2, "0", 2000])).filter((n) => n["Relation Name"] === "prediction");
    // driving the batch from prediction(model_version_id) reads every prediction of the version per batch
    expect(predictionScans.map((n) => n["Index Name"] ?? n["Node Type"])).not.toContain("prediction_model_version_id_idx");
    expect(predictionScans.length).toBeGreaterThan(0);
  });
});
