import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../test/test-db.ts";
import { getPool } from "../db/pool.ts";
import { ZDashboardFilters } from "./filters.ts";
import { getAccuracy } from "./get-accuracy.ts";
import { getAgreement } from "./get-agreement.ts";
import { getTeam } from "./get-team.ts";
import { getToxicity } from "./get-toxicity.ts";
import { listCellExcerpts } from "./list-cell-excerpts.ts";
import { refreshDashboard } from "./refresh-dashboard.ts";

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let ws: number;
const cat: Record<string, number> = {};
const users: Record<string, number> = {};
let mv: number;

async function decide(o: {
  excerptId: string;
  user: string;
  category: string;
  suggested?: string;
  isAudit?: boolean;
  durationMs?: number;
  at?: string;
}): Promise<string> {
  const { rows } = await getPool().query<{ id: string }>(
    `INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, origin, category_id, model_version_id, suggested_category_id, is_audit, duration_ms, created_at)
     VALUES ($1, $2, $3, 'label', 'queue', $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      ws,
      o.excerptId,
      users[o.user],
      cat[o.category],
      o.suggested ? mv : null,
      o.suggested ? cat[o.suggested] : null,
      o.isAudit ?? false,
      o.durationMs ?? 1200,
      o.at ?? "2026-11-02T10:15:00Z",
    ],
  );
  return rows[0].id;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const p = t.prisma;
  const w = await p.workspace.create({ data: { slug: "default", name: "Demo", flagThreshold: 0.5 } });
  ws = w.id;
  for (const [i, name] of ["profanity", "harassment", "non-toxic"].entries()) {
    const c = await p.category.create({ data: { workspaceId: ws, name, hotkey: i + 1, sortOrder: i, isNonToxic: name === "non-toxic" } });
    cat[name] = c.id;
  }
  for (const name of ["ana", "bo", "cy"]) {
    const u = await p.user.create({ data: { email: `${name}@x.test`, name, passwordHash: "x", role: "moderator" } });
    users[name] = u.id;
  }
  const m = await p.modelVersion.create({
    data: {
      workspaceId: ws,
      version: "v1",
      kind: "hashed-linear",
      status: "active",
      manifest: {},
      onnx: new Uint8Array([0]),
      categoryIds: [cat.profanity, cat.harassment, cat["non-toxic"]],
    },
  });
  mv = m.id;
  // 6 excerpts in two games, scored by v1
  const texts = ["you absolute donkey", "gg wp", "uninstall the game loser", "nice shot", "shut up idiot", "anyone want to duo"];
  for (const [i, text] of texts.entries()) {
    const e = await p.excerpt.create({
      data: {
        workspaceId: ws,
        dedupKey: `x:${i}`,
        text,
        game: i < 3 ? "moba" : "fps",
        channel: "all",
        source: i % 2 ? "voice" : "text",
        occurredAt: new Date("2026-11-02T10:00:00Z"),
      },
    });
    await p.prediction.create({
      data: {
        excerptId: e.id,
        modelVersionId: mv,
        probs: [0.1, 0.1, 0.8],
        toxicScore: [0.9, 0.1, 0.7, 0.2, 0.6, 0.05][i],
        suggestedCategoryId: cat["non-toxic"],
        confidence: 0.8,
      },
    });
  }
});

afterAll(async () => {
  await t?.drop();
});

describe("dashboard aggregates on real PostgreSQL", () => {
  it("measures model accuracy on the audit slice, ignores reversed labels, and drills down", async () => {
    const ids = (await getPool().query<{ id: string }>(`SELECT id FROM excerpt ORDER BY id`)).rows.map((r) => r.id);
    await decide({ excerptId: ids[0], user: "ana", category: "profanity", suggested: "profanity", isAudit: true });
    await decide({ excerptId: ids[1], user: "ana", category: "non-toxic", suggested: "non-toxic", isAudit: true });
    await decide({ excerptId: ids[2], user: "bo", category: "harassment", suggested: "non-toxic", isAudit: true, durationMs: 4500 });
    await decide({ excerptId: ids[3], user: "bo", category: "non-toxic", suggested: "profanity" }); // not audit
    const undone = await decide({ excerptId: ids[4], user: "cy", category: "profanity", suggested: "harassment", isAudit: true });
    await getPool().query(`INSERT INTO decision (workspace_id, excerpt_id, user_id, kind, reverses_id) VALUES ($1, $2, $3, 'reversal', $4)`, [
      ws,
      ids[4],
      users.cy,
      undone,
    ]);
    await refreshDashboard();

    const audit = await getAccuracy({ workspaceId: ws, filters: ZDashboardFilters.parse({}) });
    expect(audit.totals).toEqual({ labels: 4, auditLabels: 3 });
    expect(audit.trends).toHaveLength(1);
    expect(audit.trends[0].labels).toBe(3);
    expect(audit.trends[0].agreement.estimate).toBeCloseTo(2 / 3, 12);
    // binary on the audit slice: tp=1 (profanity), fn=1 (harassment missed), tn=1
    expect(audit.trends[0].binary.recall.estimate).toBeCloseTo(0.5, 12);
    expect(audit.trends[0].binary.precision.estimate).toBeCloseTo(1, 12);
    expect(audit.corrections[0]).toMatchObject({ categoryId: cat["non-toxic"], corrected: 1, topCorrectedTo: cat.harassment });

    const all = await getAccuracy({ workspaceId: ws, filters: ZDashboardFilters.parse({ slice: "all" }) });
    expect(all.trends[0].labels).toBe(4);

    const cell = await listCellExcerpts({
      workspaceId: ws,
      filters: ZDashboardFilters.parse({}),
      suggestedCategoryId: cat["non-toxic"],
      categoryId: cat.harassment,
    });
    expect(cell.map((c) => c.text)).toEqual(["uninstall the game loser"]);

    const moba = await getAccuracy({ workspaceId: ws, filters: ZDashboardFilters.parse({ game: "fps", slice: "all" }) });
    expect(moba.trends[0].labels).toBe(1);
  });

  it("reports flagged and confirmed-toxic rates at the workspace threshold", async () => {
    const tox = await getToxicity({ workspaceId: ws, filters: ZDashboardFilters.parse({}) });
    expect(tox.modelVersionId).toBe(mv);
    expect(tox.trends).toHaveLength(1);
    // toxic scores 0.9, 0.1, 0.7, 0.2, 0.6, 0.05 → 3 of 6 at or above 0.5
    expect(tox.trends[0].flaggedRate.estimate).toBeCloseTo(0.5, 12);
    // labelled excerpts (current_category_id) are set by the queue code; none here
    expect(tox.trends[0].labelled).toBe(0);
    expect(tox.breakdown.map((b) => b.game).sort()).toEqual(["fps", "fps", "moba", "moba"]);
    expect(tox.breakdown.reduce((sum, b) => sum + b.scored, 0)).toBe(6);
    expect(tox.breakdown.reduce((sum, b) => sum + (b.flaggedRate.estimate ?? 0) * b.scored, 0)).toBeCloseTo(3, 9);
  });

  it("reports moderator throughput, median time and backlog", async () => {
    const team = await getTeam({ workspaceId: ws, filters: ZDashboardFilters.parse({}) });
    const bo = team.moderators.find((m) => m.name === "bo")!;
    expect(bo.decisions).toBe(2);
    expect(bo.activeHours).toBe(1);
    expect(bo.correctionRate).toBe(1);
    // cy's only label was reversed: it does not count
    expect(team.moderators.find((m) => m.name === "cy")).toBeUndefined();
    expect(team.backlog.open).toBe(0);
    expect(team.backlog.addedLast24h).toBe(6);
    // the hourly chart adds up to the moderators' decisions, hour by hour in order
    expect(team.hourly.reduce((sum, h) => sum + h.decisions, 0)).toBe(team.moderators.reduce((sum, m) => sum + m.decisions, 0));
    expect(team.hourly.map((h) => h.hour)).toEqual([...team.hourly.map((h) => h.hour)].sort());
    expect(team.hourly.length).toBeGreaterThan(0);
  });

  it("counts arrivals of the last 24 h from the hourly counter, which follows inserts and deletes", async () => {
    const added = async () => (await getTeam({ workspaceId: ws, filters: ZDashboardFilters.parse({}) })).backlog.addedLast24h;
    const { rows } = await getPool().query<{ id: string }>(
      `INSERT INTO excerpt (workspace_id, dedup_key, text, source, created_at)
       VALUES ($1, 'arr-1', 'a', 'text', now()), ($1, 'arr-2', 'b', 'text', now() - interval '3 days'), ($1, 'arr-3', 'c', 'text', now())
       RETURNING id`,
      [ws],
    );
    expect(await added()).toBe(8);
    await getPool().query(`DELETE FROM excerpt WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
    expect(await added()).toBe(6);
  });

  it("counts as being reviewed now only live leases of active, signed-in moderators", async () => {
    const ids = (await getPool().query<{ id: string }>(`SELECT id FROM excerpt ORDER BY id`)).rows.map((r) => r.id);
    const leased = async () => (await getTeam({ workspaceId: ws, filters: ZDashboardFilters.parse({}) })).backlog.leasedNow;
    await getPool().query(
      `INSERT INTO queue_item (excerpt_id, workspace_id, priority, is_open) SELECT id, $1, 0, true FROM excerpt WHERE id = ANY($2::bigint[])`,
      [ws, ids.slice(3, 6)],
    );
    // as the claim leases: the queue row and its lease log (queue_claim)
    const lease = (excerptId: string, user: string, live = true) =>
      getPool().query(
        `WITH q AS (UPDATE queue_item SET leased_by_id = $2, lease_expires_at = now() + ($3 || ' minutes')::interval WHERE excerpt_id = $1 RETURNING lease_expires_at)
         INSERT INTO queue_claim (workspace_id, user_id, excerpt_id, lease_expires_at) SELECT $4, $2, $1, lease_expires_at FROM q`,
        [excerptId, users[user], live ? "5" : "-1", ws],
      );
    await lease(ids[3], "ana");
    await lease(ids[4], "bo");
    await lease(ids[5], "cy", false);
    // nobody is signed in: nothing is being reviewed
    expect(await leased()).toBe(0);
    for (const name of ["ana", "bo", "cy"]) {
      await getPool().query(`INSERT INTO session (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [`s-${name}`, users[name]]);
    }
    // cy's lease expired
    expect(await leased()).toBe(2);
    await getPool().query(`UPDATE app_user SET is_active = false WHERE id = $1`, [users.bo]);
    expect(await leased()).toBe(1);
    await getPool().query(`UPDATE app_user SET is_active = true WHERE id = $1`, [users.bo]);
    await getPool().query(`DELETE FROM queue_item WHERE excerpt_id = ANY($1::bigint[])`, [ids.slice(3, 6)]);
    await getPool().query(`DELETE FROM queue_claim WHERE excerpt_id = ANY($1::bigint[])`, [ids.slice(3, 6)]);
    await getPool().query(`DELETE FROM session`);
  });

  it("computes agreement on excerpts labelled by two moderators", async () => {
    const ids = (await getPool().query<{ id: string }>(`SELECT id FROM excerpt ORDER BY id`)).rows.map((r) => r.id);
    await decide({ excerptId: ids[0], user: "bo", category: "profanity" });
    await decide({ excerptId: ids[1], user: "bo", category: "profanity" });
    await decide({ excerptId: ids[2], user: "ana", category: "harassment" });
    await refreshDashboard();
    const agr = await getAgreement({ workspaceId: ws, filters: ZDashboardFilters.parse({}) });
    expect(agr.items).toBe(3);
    expect(agr.pairs).toHaveLength(1);
    expect(agr.pairs[0]).toMatchObject({ items: 3, agreed: 2 });
    expect(agr.alpha.alpha).not.toBeNull();
  });
});
