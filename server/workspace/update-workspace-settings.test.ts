import { DEFAULT_MAX_SIMILARITY } from "@/lib/ranking/diversify.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLAGGED_OFFSET } from "@/lib/ranking/rank.ts";
import { getPool } from "../db/pool.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { seedModelFixture, type TModelFixture } from "../model/model-fixtures.ts";
import { scorePendingExcerpts } from "../model/score-pending-excerpts.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";
import { spaceQueueHead } from "../queue/space-queue-head.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { ZWorkspaceSettings, type TWorkspaceSettings } from "@/lib/workspace/contract.ts";
import { updateWorkspaceSettings } from "./update-workspace-settings.ts";

let drop: () => Promise<void>;
let fx: TModelFixture;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  fx = await seedModelFixture({ labelled: 60, unlabelled: 150 });
  await trainModelVersion({ workspaceId: fx.workspaceId, activate: true });
  while ((await scorePendingExcerpts({ workspaceId: fx.workspaceId })).scored > 0);
});

afterAll(async () => {
  await releaseModelSessions();
  await drop();
});

async function stored() {
  const { rows } = await getPool().query(`SELECT rank_strategy, flagged_first, max_similarity, lease_seconds FROM workspace WHERE id = $1`, [fx.workspaceId]);
  return rows[0];
}

/** Open ranked items: how many flagged ones sit below an unflagged one, and how many are demoted near-duplicates. */
async function queueShape(): Promise<{ flaggedBelowUnflagged: number; demoted: number; minFlagged: number | null }> {
  const { rows } = await getPool().query(
    `SELECT (SELECT count(*)::int FROM queue_item a JOIN queue_item b ON b.workspace_id = a.workspace_id
               WHERE a.workspace_id = $1 AND a.is_open AND b.is_open AND NOT a.is_audit AND NOT b.is_audit
                 AND a.is_flagged AND NOT b.is_flagged AND a.priority <= b.priority) AS "flaggedBelowUnflagged",
            (SELECT count(*)::int FROM queue_item WHERE workspace_id = $1 AND is_open AND NOT is_audit AND priority < 0) AS demoted,
            (SELECT min(priority) FROM queue_item WHERE workspace_id = $1 AND is_open AND NOT is_audit AND is_flagged) AS "minFlagged"`,
    [fx.workspaceId],
  );
  return rows[0];
}

const base: TWorkspaceSettings = { flagThreshold: 0.5, rankStrategy: "margin", randomShare: 0.1, leaseSeconds: 300 };

describe("updateWorkspaceSettings", () => {
  it("a new workspace starts with margin, no flagged tier and spacing at 0.7 (the validation choice)", async () => {
    expect(await stored()).toMatchObject({ rank_strategy: "margin", flagged_first: false, max_similarity: DEFAULT_MAX_SIMILARITY });
  });

  it("turning the flagged tier on and spacing off persists both and re-ranks the open queue", async () => {
    const before = await queueShape();
    // the fixture's lines repeat with small suffixes: scoring alone leaves look-alikes in the head
    await spaceQueueHead({ workspaceId: fx.workspaceId });
    expect((await queueShape()).demoted).toBeGreaterThan(0);
    expect(before.minFlagged).toBeLessThan(FLAGGED_OFFSET); // without the tier, flagged items rank by uncertainty alone

    const saved = await updateWorkspaceSettings({ workspaceId: fx.workspaceId, settings: { ...base, isFlaggedFirst: true, maxSimilarity: null } });
    expect(saved).toMatchObject({ isFlaggedFirst: true, maxSimilarity: null, isRequeued: true });
    expect(await stored()).toMatchObject({ flagged_first: true, max_similarity: null });
    const after = await queueShape();
    expect(after).toMatchObject({ flaggedBelowUnflagged: 0, demoted: 0 });
    expect(after.minFlagged).toBeGreaterThanOrEqual(FLAGGED_OFFSET);
  });

  it("turning spacing back on demotes near-duplicates in the same call", async () => {
    const saved = await updateWorkspaceSettings({ workspaceId: fx.workspaceId, settings: { ...base, isFlaggedFirst: false, maxSimilarity: 0.5 } });
    expect(saved).toMatchObject({ isFlaggedFirst: false, maxSimilarity: 0.5, isRequeued: true });
    expect((await queueShape()).demoted).toBeGreaterThan(0);
    // already spaced: the worker's next pass has nothing to do
    expect((await spaceQueueHead({ workspaceId: fx.workspaceId })).changed).toBe(0);
  });

  it("a client that predates the new fields keeps them as they are, and a lease change does not re-rank", async () => {
    await updateWorkspaceSettings({ workspaceId: fx.workspaceId, settings: { ...base, isFlaggedFirst: true, maxSimilarity: 0.7 } });
    const saved = await updateWorkspaceSettings({ workspaceId: fx.workspaceId, settings: { ...base, leaseSeconds: 120 } });
    expect(saved).toMatchObject({ isFlaggedFirst: true, maxSimilarity: 0.7, leaseSeconds: 120, isRequeued: false });
    expect(await stored()).toMatchObject({ flagged_first: true, max_similarity: 0.7, lease_seconds: 120 });
  });

  it("automatic retrain: on at 200 for a new workspace, off or another interval when saved, and a client that predates it keeps it", async () => {
    const retrainEvery = async () => (await getPool().query(`SELECT retrain_every FROM workspace WHERE id = $1`, [fx.workspaceId])).rows[0].retrain_every;
    expect(await retrainEvery()).toBe(200);
    const off = await updateWorkspaceSettings({ workspaceId: fx.workspaceId, settings: { ...base, retrainEvery: null } });
    expect(off).toMatchObject({ retrainEvery: null, isRequeued: false }); // not a ranking setting: the queue stays as it is
    expect(await retrainEvery()).toBeNull();
    await updateWorkspaceSettings({ workspaceId: fx.workspaceId, settings: { ...base, retrainEvery: 1_000 } });
    expect(await updateWorkspaceSettings({ workspaceId: fx.workspaceId, settings: base })).toMatchObject({ retrainEvery: 1_000 });
    expect(await retrainEvery()).toBe(1_000);
  });

  it("accepts a retrain interval of 50 to 100,000 labels or null and refuses anything else", () => {
    for (const retrainEvery of [null, 50, 200, 5_000, 100_000]) expect(ZWorkspaceSettings.safeParse({ ...base, retrainEvery }).success).toBe(true);
    for (const retrainEvery of [0, 49, 100_001, 200.5, "200"]) expect(ZWorkspaceSettings.safeParse({ ...base, retrainEvery }).success).toBe(false);
    expect(ZWorkspaceSettings.safeParse({ ...base, retrainEvery: 10 }).error?.issues[0].message).toBe("Retrain after 50 to 100,000 new labels, or turn it off");
  });

  it("accepts a similarity in (0, 1] or null and refuses anything else", () => {
    for (const maxSimilarity of [null, 0.05, 0.5, 1]) expect(ZWorkspaceSettings.safeParse({ ...base, maxSimilarity }).success).toBe(true);
    for (const maxSimilarity of [0, -0.1, 1.01, "0.5"]) expect(ZWorkspaceSettings.safeParse({ ...base, maxSimilarity }).success).toBe(false);
    expect(ZWorkspaceSettings.safeParse({ ...base, isFlaggedFirst: "yes" }).success).toBe(false);
  });
});
