import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TRereviewItem } from "@/lib/label-errors/types.ts";
import { getPool } from "../db/pool.ts";
import { selectTrainingLabels } from "../evaluation/select-training-labels.ts";
import { createSnapshot } from "../export/create-snapshot.ts";
import { runSnapshotJob } from "../export/run-snapshot-job.ts";
import { snapshotDir } from "../export/snapshot-paths.ts";
import { stopBoss } from "../jobs/boss.ts";
import { releaseModelSessions } from "../model/load-model-session.ts";
import { submitDecision } from "../queue/submit-decision.ts";
import { runTraining } from "../registry/run-training.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { claimRereviewItems } from "./claim-rereview-items.ts";
import { detectLabelErrors } from "./detect-label-errors.ts";
import { getRereviewCorrections } from "./get-rereview-corrections.ts";
import { seedLabelErrorFixture, type TLabelErrorFixture } from "./label-error-fixtures.ts";
import { listRereviewQueue } from "./list-rereview-queue.ts";
import { submitRereview } from "./submit-rereview.ts";

let drop: () => Promise<void>;
let fx: TLabelErrorFixture;
let other: TLabelErrorFixture;
const LABELLED = 400;
const PLANTED = 16;

beforeAll(async () => {
  process.env.MODLOOP_EXPORT_DIR = mkdtempSync(path.join(tmpdir(), "modloop-trust-export-"));
  ({ drop } = await createTestDatabase());
  fx = await seedLabelErrorFixture({ labelled: LABELLED, planted: PLANTED, heldOut: 40, unlabelled: 20 });
  other = await seedLabelErrorFixture({ labelled: 60, planted: 4, heldOut: 0, unlabelled: 0, slug: "ws-other" });
}, 60_000);

afterAll(async () => {
  await stopBoss({ graceful: false }).catch(() => {});
  await releaseModelSessions();
  await drop();
});

const one = async <T>(sql: string, params: unknown[]): Promise<T> => (await getPool().query(sql, params)).rows[0] as T;
const labelOf = async (excerptId: string) => (await one<{ c: number | null }>(`SELECT current_category_id AS c FROM excerpt WHERE id = $1`, [excerptId])).c;

describe("label errors: detection after training, re-review by seniors, and the loop back into training and exports", () => {
  let modelVersionId: number;
  let queue: TRereviewItem[];

  it("the training job stores out-of-fold probabilities and a calibrator, and queues the planted errors for re-review", async () => {
    const run = await runTraining({ workspaceId: fx.workspaceId, trainedById: fx.users.admin });
    expect(run.status).toBe("done");
    modelVersionId = run.modelVersionId!;
    const oof = await one<{ n: number; bytes: number }>(
      `SELECT cardinality(excerpt_ids) AS n, octet_length(log_probs) AS bytes FROM model_out_of_fold WHERE model_version_id = $1`,
      [modelVersionId],
    );
    // every training label (planted lines and their twins included), three outputs of float32
    expect(oof.n).toBe(LABELLED + PLANTED);
    expect(oof.bytes).toBe((LABELLED + PLANTED) * 3 * 4);
    const { manifest } = await one<{ manifest: { calibration: { method: string; fittedOn: string; flagThreshold: number | null } } }>(
      `SELECT manifest FROM model_version WHERE id = $1`,
      [modelVersionId],
    );
    expect(manifest.calibration.fittedOn).toBe("out-of-fold");
    expect(manifest.calibration.flagThreshold).not.toBeNull();
    expect(run.labelErrors!.queued).toBeGreaterThan(0);
    expect(run.message).toMatch(/queued for re-review as likely errors/);

    const { rows } = await getPool().query<{ excerpt_id: string; suggested_category_id: number; labelled_by_id: number }>(
      `SELECT excerpt_id::text, suggested_category_id, labelled_by_id FROM label_suspect WHERE workspace_id = $1 AND status = 'open'`,
      [fx.workspaceId],
    );
    const found = rows.filter((r) => fx.planted.has(r.excerpt_id));
    // confident learning finds most planted errors, and most of what it queues is a planted error
    expect(found.length / PLANTED).toBeGreaterThanOrEqual(0.75);
    expect(found.length / rows.length).toBeGreaterThanOrEqual(0.5);
    for (const r of found) {
      expect(r.suggested_category_id).toBe(fx.planted.get(r.excerpt_id));
      expect(r.labelled_by_id).toBe(fx.users.a);
    }
    // the other workspace's queue is untouched
    expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM label_suspect WHERE workspace_id = $1`, [other.workspaceId])).n).toBe(0);
  });

  it("detection is idempotent for a version: a rerun changes nothing", async () => {
    const before = (await getPool().query(`SELECT id, excerpt_id, status, quality FROM label_suspect ORDER BY id`)).rows;
    const again = await detectLabelErrors({ modelVersionId });
    expect(again.superseded).toBe(0);
    expect((await getPool().query(`SELECT id, excerpt_id, status, quality FROM label_suspect ORDER BY id`)).rows).toEqual(before);
  });

  // who may see and settle suspects is checked by the routes (withRoute's `senior`): rereview-routes.test.ts
  it("the queue carries the evidence", async () => {
    await expect(listRereviewQueue({ workspaceId: fx.workspaceId, limit: 0 })).rejects.toMatchObject({ code: "VALIDATION" });
    const listed = await listRereviewQueue({ workspaceId: fx.workspaceId, limit: 100 });
    queue = listed.items;
    expect(listed.open).toBe(queue.length);
    // most likely errors first
    expect(queue.map((i) => i.quality)).toEqual([...queue.map((i) => i.quality)].sort((a, b) => a - b));
    const item = queue.find((i) => fx.planted.has(i.card.excerptId))!;
    expect(item.labelledBy).toMatchObject({ userId: fx.users.a, userName: "moderator-a", origin: "queue", categoryId: item.flaggedCategoryId });
    expect(item.currentCategoryId).toBe(item.flaggedCategoryId);
    expect(item.suggestedCategoryId).toBe(fx.planted.get(item.card.excerptId));
    // the out-of-fold distribution, most likely first, summing to 1, favouring the true label
    expect(item.outOfFold).toHaveLength(3);
    expect(item.outOfFold.reduce((a, b) => a + b.probability, 0)).toBeCloseTo(1, 4);
    expect(item.outOfFold[0].categoryId).toBe(fx.planted.get(item.card.excerptId));
    expect(item.modelVersionId).toBe(modelVersionId);
    // the twin: same text, B's right label
    const twin = item.nearDuplicates.find((d) => d.excerptId === fx.twinOf.get(item.card.excerptId))!;
    expect(twin.text).toBe(item.card.text);
    expect(twin.labels).toEqual([expect.objectContaining({ userId: fx.users.b, categoryId: fx.planted.get(item.card.excerptId) })]);
    expect(item.card.text.length).toBeGreaterThan(0);
  });

  let held: TRereviewItem[];
  it("a claim leases items to one senior; another senior gets different ones and cannot settle a held one", async () => {
    held = await claimRereviewItems({ workspaceId: fx.workspaceId, userId: fx.users.senior, limit: 3 });
    expect(held).toHaveLength(Math.min(3, queue.length));
    expect(held.every((i) => i.leasedById === fx.users.senior)).toBe(true);
    // a reload gets the same items back
    expect((await claimRereviewItems({ workspaceId: fx.workspaceId, userId: fx.users.senior, limit: 3 })).map((i) => i.suspectId)).toEqual(
      held.map((i) => i.suspectId),
    );
    const admins = await claimRereviewItems({ workspaceId: fx.workspaceId, userId: fx.users.admin, limit: 100 });
    expect(admins.map((i) => i.suspectId)).not.toEqual(expect.arrayContaining([held[0].suspectId]));
    await expect(
      submitRereview({ workspaceId: fx.workspaceId, userId: fx.users.admin, suspectId: held[0].suspectId, categoryId: fx.categoryIds.ok }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    // release the admin's leases for the rest of the test
    await getPool().query(`UPDATE label_suspect SET leased_by_id = NULL, lease_expires_at = NULL WHERE leased_by_id = $1`, [fx.users.admin]);
  });

  const corrected: string[] = [];
  it("a senior's verdict is a 'rereview' decision that sets the label; a later ordinary label does not undo it", async () => {
    await expect(
      submitRereview({ workspaceId: fx.workspaceId, userId: fx.users.senior, suspectId: "abc", categoryId: fx.categoryIds.ok }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(
      submitRereview({ workspaceId: other.workspaceId, userId: fx.users.senior, suspectId: held[0].suspectId, categoryId: other.categoryIds.ok }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      submitRereview({ workspaceId: fx.workspaceId, userId: fx.users.senior, suspectId: held[0].suspectId, categoryId: other.categoryIds.ok }),
    ).rejects.toMatchObject({ code: "VALIDATION" });

    const plantedItems = queue.filter((i) => fx.planted.has(i.card.excerptId));
    for (const item of plantedItems) {
      const truth = fx.planted.get(item.card.excerptId)!;
      const result = await submitRereview({
        workspaceId: fx.workspaceId,
        userId: fx.users.senior,
        suspectId: item.suspectId,
        categoryId: truth,
        note: "checked the match",
      });
      expect(result).toMatchObject({ excerptId: item.card.excerptId, isCorrected: true, categoryId: truth });
      expect(await labelOf(item.card.excerptId)).toBe(truth);
      corrected.push(item.card.excerptId);
    }
    // a false alarm is confirmed: the label stays, and is now a senior's
    const falseAlarm = queue.find((i) => !fx.planted.has(i.card.excerptId));
    if (falseAlarm) {
      const kept = await submitRereview({
        workspaceId: fx.workspaceId,
        userId: fx.users.admin,
        suspectId: falseAlarm.suspectId,
        categoryId: falseAlarm.flaggedCategoryId,
      });
      expect(kept.isCorrected).toBe(false);
      expect(await labelOf(falseAlarm.card.excerptId)).toBe(falseAlarm.flaggedCategoryId);
    }
    const first = plantedItems[0];
    const { rows } = await getPool().query(`SELECT origin::text, user_id, category_id, note FROM decision WHERE excerpt_id = $1 ORDER BY id DESC LIMIT 1`, [
      first.card.excerptId,
    ]);
    expect(rows[0]).toEqual({ origin: "rereview", user_id: fx.users.senior, category_id: fx.planted.get(first.card.excerptId), note: "checked the match" });
    // settled once: a second verdict (a retry, or another senior) is refused
    await expect(
      submitRereview({ workspaceId: fx.workspaceId, userId: fx.users.admin, suspectId: first.suspectId, categoryId: fx.categoryIds.profanity }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    // moderator B relabels from the excerpt page later: recorded, but the senior's word stands
    await submitDecision({
      workspaceId: fx.workspaceId,
      userId: fx.users.b,
      excerptId: first.card.excerptId,
      kind: "label",
      categoryId: first.flaggedCategoryId,
      origin: "review",
    });
    expect(await labelOf(first.card.excerptId)).toBe(fx.planted.get(first.card.excerptId));
    expect(corrected.length).toBeGreaterThanOrEqual(PLANTED * 0.75);
  });

  it("managers' report: how many labels re-review corrected, and whose, next to their volume", async () => {
    const report = await getRereviewCorrections({ workspaceId: fx.workspaceId });
    expect(report.corrected).toBe(corrected.length);
    expect(report.reviewed).toBe(corrected.length + (queue.some((i) => !fx.planted.has(i.card.excerptId)) ? 1 : 0));
    const a = report.byLabeller.find((r) => r.userId === fx.users.a)!;
    expect(a).toMatchObject({ userName: "moderator-a", corrected: corrected.length });
    expect(a.labelsInPeriod).toBeGreaterThan(LABELLED / 2 - 1);
    expect(report.byChange.reduce((s, c) => s + c.count, 0)).toBe(corrected.length);
    expect(report.open).toBe(queue.length - report.reviewed);
    const future = await getRereviewCorrections({ workspaceId: fx.workspaceId, from: new Date(Date.now() + 3_600_000) });
    expect(future.reviewed).toBe(0);
    await expect(getRereviewCorrections({ workspaceId: fx.workspaceId, from: new Date("x") })).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("the next training run learns the corrected labels and does not flag them again", async () => {
    const { rows } = await selectTrainingLabels({ workspaceId: fx.workspaceId });
    for (const id of corrected) expect(rows.find((r) => r.id === id)?.current_category_id).toBe(fx.planted.get(id));
    const run = await runTraining({ workspaceId: fx.workspaceId });
    expect(run.status).toBe("done");
    const oof = await one<{ ids: string[]; cats: number[] }>(
      `SELECT excerpt_ids::text[] AS ids, category_ids AS cats FROM model_out_of_fold WHERE model_version_id = $1`,
      [run.modelVersionId],
    );
    for (const id of corrected) expect(oof.cats[oof.ids.indexOf(id)]).toBe(fx.planted.get(id));
    const open = await getPool().query<{ excerpt_id: string }>(`SELECT excerpt_id::text FROM label_suspect WHERE workspace_id = $1 AND status = 'open'`, [
      fx.workspaceId,
    ]);
    expect(open.rows.map((r) => r.excerpt_id)).not.toEqual(expect.arrayContaining([corrected[0]]));
    // settled suspects stay as history
    expect(
      (await one<{ n: number }>(`SELECT count(*)::int AS n FROM label_suspect WHERE workspace_id = $1 AND status = 'resolved'`, [fx.workspaceId])).n,
    ).toBeGreaterThanOrEqual(corrected.length);
  });

  it("the next snapshot exports the corrected labels, under either label rule", async () => {
    for (const labelRule of ["latest", "majority"] as const) {
      const s = await createSnapshot({ workspaceId: fx.workspaceId, userId: fx.users.admin, params: { labelRule, formats: ["jsonl"] }, run: "none" });
      await runSnapshotJob({ snapshotId: s.id });
      const rows = readFileSync(path.join(snapshotDir(s.id), "dataset.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { id: string; label: string });
      const names = new Map([
        [fx.categoryIds.ok, "Non-toxic"],
        [fx.categoryIds.insult, "Insult"],
        [fx.categoryIds.profanity, "Profanity"],
      ]);
      for (const id of corrected) expect(rows.find((r) => r.id === id)?.label, `${labelRule} ${id}`).toBe(names.get(fx.planted.get(id)!));
    }
  });
});
