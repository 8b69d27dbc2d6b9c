import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZDashboardFilters } from "../dashboard/filters.ts";
import { getAccuracy } from "../dashboard/get-accuracy.ts";
import { getAgreement } from "../dashboard/get-agreement.ts";
import { getTeam } from "../dashboard/get-team.ts";
import { getPool } from "../db/pool.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { seedDemoWorkspace } from "./seed-demo-workspace.ts";
import { seedReviewHistory } from "./seed-review-history.ts";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let workspaceId: number;
let result: Awaited<ReturnType<typeof seedReviewHistory>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const seeded = await seedDemoWorkspace({ conversations: 24, hasReviewHistory: false });
  workspaceId = seeded.workspaceId;
  result = await seedReviewHistory({ workspaceId, conversations: 24, perDay: 12, days: 6 });
}, 180_000);

afterAll(async () => {
  await testDb?.drop();
});

describe("seedReviewHistory (the demo's simulated two weeks)", () => {
  it("back-dates queue decisions over the days, closes those items and derives their labels", async () => {
    expect(result.decisions).toBeGreaterThanOrEqual(6 * 12);
    const { rows } = await getPool().query<{ days: number; n: number; open_decided: number; unlabelled: number }>(
      `SELECT count(DISTINCT (d.created_at AT TIME ZONE 'UTC')::date)::int AS days, count(*)::int AS n,
              count(*) FILTER (WHERE q.is_open)::int AS open_decided,
              count(*) FILTER (WHERE e.current_category_id IS NULL)::int AS unlabelled
       FROM decision d JOIN queue_item q ON q.excerpt_id = d.excerpt_id JOIN excerpt e ON e.id = d.excerpt_id
       WHERE d.workspace_id = $1 AND d.origin = 'queue'`,
      [workspaceId],
    );
    expect(rows[0].n).toBe(result.decisions);
    expect(rows[0].days).toBe(6);
    expect(rows[0].open_decided).toBe(0);
    expect(rows[0].unlabelled).toBe(0);
  });

  it("trains and promotes a second version halfway, with the promotion in the past", async () => {
    const versions = await testDb.prisma.modelVersion.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
    expect(versions).toHaveLength(2);
    expect(versions[1].id).toBe(result.promotedModelVersionId);
    expect(versions[1].status).toBe("active");
    expect(versions[0].promotedAt!.getTime()).toBeLessThan(versions[1].promotedAt!.getTime());
    expect(versions[1].promotedAt!.getTime()).toBeLessThan(Date.now() - 86_400_000);
  });

  it("names each back-dated version after its simulated training time, so the dashboard's short labels match the promotion dates", async () => {
    const versions = await testDb.prisma.modelVersion.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
    for (const v of versions) {
      const t = v.createdAt.toISOString(); // 2026-11-22T08:40:00.000Z
      const expected = `linear-${t.slice(0, 10).replace(/-/g, "")}-${t.slice(11, 19).replace(/:/g, "")}-${t.slice(20, 23)}`;
      expect(v.version).toBe(expected);
      expect((v.manifest as { version: string }).version).toBe(expected);
      expect(v.createdAt.getTime()).toBeLessThan(Date.now() - 86_400_000);
    }
  });

  it("leaves the dashboard with accuracy per version, team figures and agreement", async () => {
    const filters = ZDashboardFilters.parse({ slice: "all" });
    const accuracy = await getAccuracy({ workspaceId, filters });
    expect(new Set(accuracy.trends.map((t) => t.modelVersionId)).size).toBe(2);
    expect(accuracy.totals.labels).toBe(result.decisions);
    const team = await getTeam({ workspaceId, filters });
    expect(team.moderators.length).toBe(2);
    const agreement = await getAgreement({ workspaceId, filters });
    expect(agreement.items).toBeGreaterThanOrEqual(0);
  });

  it("runs once: a second call adds nothing", async () => {
    expect(await seedReviewHistory({ workspaceId, conversations: 24, perDay: 12, days: 6 })).toEqual({ decisions: 0, promotedModelVersionId: null });
  });
});
