import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibrateOutput } from "@/lib/calibration/calibrator.ts";
import { parseManifest, type TModelManifest } from "@/lib/model/manifest.ts";
import { getPool } from "../db/pool.ts";
import { calibrateThreshold } from "../evaluation/calibrate-threshold.ts";
import { evaluateModelVersion } from "../evaluation/evaluate-model-version.ts";
import { getCalibrationReport } from "../evaluation/get-calibration-report.ts";
import { listVersionCalibration } from "../evaluation/list-version-calibration.ts";
import { stopBoss } from "../jobs/boss.ts";
import { promoteModelVersion } from "../registry/promote-model-version.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { updateWorkspaceSettings } from "../workspace/update-workspace-settings.ts";
import { linearEncoder, releaseModelSessions, sessionOptionsFor } from "./load-model-session.ts";
import { seedModelFixture, type TModelFixture } from "./model-fixtures.ts";
import { predictTexts } from "./predict-texts.ts";
import { scorePendingExcerpts } from "./score-pending-excerpts.ts";
import { trainModelVersion } from "../registry/train-model-version.ts";

let drop: () => Promise<void>;
let fx: TModelFixture;
let v1: number;
let manifest: TModelManifest;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  fx = await seedModelFixture({ labelled: 240, unlabelled: 40, heldOut: 40 });
  v1 = (await trainModelVersion({ workspaceId: fx.workspaceId, activate: true })).modelVersionId;
  manifest = parseManifest((await getPool().query(`SELECT manifest FROM model_version WHERE id = $1`, [v1])).rows[0].manifest);
}, 60_000);

afterAll(async () => {
  await stopBoss({ graceful: false }).catch(() => {});
  await releaseModelSessions();
  await drop();
});

/** The version's ONNX output with no calibration: what a consumer running the session around runModel would get. */
async function rawOutputs(modelVersionId: number, texts: string[]): Promise<Float32Array[]> {
  const { rows } = await getPool().query<{ onnx: Buffer; manifest: unknown }>(`SELECT onnx, manifest FROM model_version WHERE id = $1`, [modelVersionId]);
  const m = parseManifest(rows[0].manifest);
  const session = await ort.InferenceSession.create(new Uint8Array(rows[0].onnx), sessionOptionsFor(m));
  try {
    const out = (await session.run(linearEncoder(m)(texts)))[m.onnx.outputName];
    const K = m.labels.length;
    return texts.map((_, i) => (out.data as Float32Array).slice(i * K, (i + 1) * K));
  } finally {
    await session.release();
  }
}

describe("calibrated probabilities everywhere", () => {
  it("scoring stores the probabilities the manifest's calibration maps the model output to, not the raw output", async () => {
    expect(manifest.calibration?.method).not.toBe("none");
    while ((await scorePendingExcerpts({ workspaceId: fx.workspaceId })).scored > 0);
    const { rows } = await getPool().query<{ text: string; probs: number[]; toxic_score: number; confidence: number }>(
      `SELECT e.text, p.probs, p.toxic_score, p.confidence FROM prediction p JOIN excerpt e ON e.id = p.excerpt_id WHERE p.model_version_id = $1 ORDER BY e.id`,
      [v1],
    );
    const raw = await rawOutputs(
      v1,
      rows.map((r) => r.text),
    );
    let largestShift = 0;
    for (const [i, r] of rows.entries()) {
      const expected = calibrateOutput(manifest.calibration, raw[i], true);
      for (let k = 0; k < 3; k++) {
        expect(r.probs[k]).toBeCloseTo(expected[k], 6);
        largestShift = Math.max(largestShift, Math.abs(r.probs[k] - raw[i][k]));
      }
      expect(r.toxic_score).toBeCloseTo(1 - expected[manifest.nonToxicIndex], 6);
      expect(r.confidence).toBeCloseTo(Math.max(...expected), 6);
    }
    // the calibration really moved the numbers (an identity map would pass the loop above too)
    expect(largestShift).toBeGreaterThan(0.01);
  });

  it("predictTexts, the machine API's path, serves the same calibrated numbers", async () => {
    const texts = ["you idiot", "gg wp everyone", "fuck this game"];
    const served = await predictTexts({ modelVersionId: v1, texts });
    const raw = await rawOutputs(v1, texts);
    for (const [i, p] of served.entries()) expect(Array.from(p)).toEqual(Array.from(calibrateOutput(manifest.calibration, raw[i], true)));
  });

  it("evaluation keeps the gold set's reliability; the report and the version list show ECE per version", async () => {
    const evaluation = await evaluateModelVersion({ modelVersionId: v1 });
    expect(evaluation.calibration?.reliability.n).toBe(40);
    expect(evaluation.calibration?.reliability.bins).toHaveLength(15);
    const report = await getCalibrationReport({ workspaceId: fx.workspaceId, modelVersionId: v1 });
    expect(report.calibration?.method).toBe(manifest.calibration!.method);
    expect(report.outOfFold?.n).toBe(240);
    expect(report.outOfFold?.uncalibrated.ece).toBeCloseTo(manifest.calibration!.before.ece!, 5);
    expect(report.outOfFold?.calibrated.ece).toBeCloseTo(manifest.calibration!.after.ece!, 5);
    expect(report.gold?.reliability.ece).toBe(evaluation.calibration?.reliability.ece);
    const list = await listVersionCalibration({ workspaceId: fx.workspaceId });
    expect(list).toEqual([
      expect.objectContaining({ modelVersionId: v1, method: manifest.calibration!.method, goldN: 40, defaultThreshold: manifest.calibration!.flagThreshold }),
    ]);
    expect(list[0].goldEce).toBeCloseTo(evaluation.calibration!.reliability.ece!, 9);
    await expect(getCalibrationReport({ workspaceId: fx.workspaceId + 999, modelVersionId: v1 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("the workspace's flag threshold", () => {
  const settings = { flagThreshold: 0.5, rankStrategy: "margin" as const, randomShare: 0.1, leaseSeconds: 300 };
  const workspace = async () => (await getPool().query(`SELECT flag_threshold, flag_threshold_source FROM workspace WHERE id = $1`, [fx.workspaceId])).rows[0];

  it("the first trained model sets it from its calibrated out-of-fold scores, not 0.5", async () => {
    expect(manifest.calibration!.flagThreshold).not.toBeNull();
    expect(manifest.calibration!.flagThreshold).not.toBe(0.5);
    expect(await workspace()).toEqual({ flag_threshold: manifest.calibration!.flagThreshold, flag_threshold_source: "model" });
    // saving other settings with the same threshold leaves it the model's
    await updateWorkspaceSettings({
      workspaceId: fx.workspaceId,
      settings: { ...settings, flagThreshold: manifest.calibration!.flagThreshold!, leaseSeconds: 600 },
    });
    expect((await workspace()).flag_threshold_source).toBe("model");
  });

  it("an admin's threshold is never overwritten by a promotion, and can be handed back to the model", async () => {
    await updateWorkspaceSettings({ workspaceId: fx.workspaceId, settings: { ...settings, flagThreshold: 0.73 } });
    expect(await workspace()).toEqual({ flag_threshold: 0.73, flag_threshold_source: "admin" });
    const v2 = (await trainModelVersion({ workspaceId: fx.workspaceId })).modelVersionId;
    await promoteModelVersion({ workspaceId: fx.workspaceId, modelVersionId: v2, isConfirmed: true });
    expect(await workspace()).toEqual({ flag_threshold: 0.73, flag_threshold_source: "admin" });
    const handedBack = await updateWorkspaceSettings({ workspaceId: fx.workspaceId, settings: { ...settings, isFlagThresholdFromModel: true } });
    const v2Default = parseManifest((await getPool().query(`SELECT manifest FROM model_version WHERE id = $1`, [v2])).rows[0].manifest).calibration!
      .flagThreshold;
    expect(handedBack).toMatchObject({ flagThreshold: v2Default, flagThresholdSource: "model" });
    // a gold-set calibration is an admin's choice too
    await calibrateThreshold({ workspaceId: fx.workspaceId, target: { metric: "recall", atLeast: 0.5 } });
    expect((await workspace()).flag_threshold_source).toBe("admin");
  });

  it("a model-owned threshold follows each promotion; a version without a calibrated default puts 0.5 back", async () => {
    await updateWorkspaceSettings({ workspaceId: fx.workspaceId, settings: { ...settings, isFlagThresholdFromModel: true } });
    const { rows } = await getPool().query<{ id: number }>(
      `INSERT INTO model_version (workspace_id, version, kind, manifest, onnx, category_ids)
       SELECT workspace_id, 'uncalibrated', kind, manifest - 'calibration', onnx, category_ids FROM model_version WHERE id = $1 RETURNING id`,
      [v1],
    );
    await promoteModelVersion({ workspaceId: fx.workspaceId, modelVersionId: rows[0].id, isConfirmed: true });
    expect(await workspace()).toEqual({ flag_threshold: 0.5, flag_threshold_source: "default" });
    await promoteModelVersion({ workspaceId: fx.workspaceId, modelVersionId: v1, isConfirmed: true });
    expect(await workspace()).toEqual({ flag_threshold: manifest.calibration!.flagThreshold, flag_threshold_source: "model" });
  });
});
