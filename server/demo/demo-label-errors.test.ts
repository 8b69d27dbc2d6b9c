import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoChat } from "@/lib/demo/generate-demo-chat.ts";
import { getPool } from "../db/pool.ts";
import { stopBoss } from "../jobs/boss.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { seedDemoWorkspace } from "./seed-demo-workspace.ts";

/**
 * The demo as `npm start` seeds it (full size): its simulated moderators are right ~92% of the time,
 * and the re-review queue the seed's second training fills must surface those slips, checked against
 * the generator's ground truth.
 */
let drop: () => Promise<void>;
let workspaceId: number;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  workspaceId = (await seedDemoWorkspace({})).workspaceId;
}, 300_000);

afterAll(async () => {
  await stopBoss({ graceful: false }).catch(() => {});
  await releaseModelSessions();
  await drop();
});

describe("the demo's re-review queue", () => {
  it("finds the simulated moderators' planted label errors, the likeliest first", async () => {
    const truth = new Map(generateDemoChat({}).map((l) => [l.externalId, l.intent]));
    const { rows } = await getPool().query<{ external_id: string; given: string; suggested: string; origin: string }>(
      `SELECT e.external_id, c.name AS given, sc.name AS suggested, d.origin::text AS origin
         FROM label_suspect s JOIN excerpt e ON e.id = s.excerpt_id JOIN category c ON c.id = s.category_id
         JOIN category sc ON sc.id = s.suggested_category_id LEFT JOIN decision d ON d.id = s.label_decision_id
        WHERE s.workspace_id = $1 AND s.status = 'open' ORDER BY s.quality, s.id`,
      [workspaceId],
    );
    const { rows: trained } = await getPool().query<{ external_id: string; category: string }>(
      `SELECT e.external_id, c.name AS category FROM model_out_of_fold o
         JOIN model_version mv ON mv.id = o.model_version_id AND mv.workspace_id = $1
         CROSS JOIN LATERAL unnest(o.excerpt_ids, o.category_ids) AS u(excerpt_id, category_id)
         JOIN excerpt e ON e.id = u.excerpt_id JOIN category c ON c.id = u.category_id
        WHERE o.model_version_id = (SELECT max(model_version_id) FROM model_out_of_fold WHERE workspace_id = $1)`,
      [workspaceId],
    );
    const isWrong = (externalId: string, category: string) => truth.get(externalId) !== category;
    const baseRate = trained.filter((r) => isWrong(r.external_id, r.category)).length / trained.length;
    const wrong = rows.filter((r) => isWrong(r.external_id, r.given));
    expect(rows.length).toBeGreaterThan(0);
    expect(wrong.length).toBeGreaterThanOrEqual(5);
    // the head of the queue is what a senior sees first: mostly real slips
    expect(rows.slice(0, 5).filter((r) => isWrong(r.external_id, r.given)).length).toBeGreaterThanOrEqual(4);
    // the whole queue is far richer in errors than the labels it was drawn from
    expect(wrong.length / rows.length).toBeGreaterThan(3 * baseRate);
    // and for a real slip the suggested label is the true one
    expect(wrong.filter((r) => truth.get(r.external_id) === r.suggested).length / wrong.length).toBeGreaterThanOrEqual(0.8);
    // the slips are the simulated moderators' queue decisions, not the imported starting set
    expect(wrong.every((r) => r.origin === "queue")).toBe(true);
  });
});
