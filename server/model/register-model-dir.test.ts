import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors.ts";
import { softmax } from "@/lib/model/onnx-linear.ts";
import { db } from "../db/client.ts";
import { createTestDatabase } from "../test/test-db.ts";
import { releaseModelSessions } from "./load-model-session.ts";
import { predictTexts } from "./predict-texts.ts";
import { registerModelDir, registerUploadedModel } from "./register-model-dir.ts";
import { scoreModelDir } from "./transformer/score-model-dir.ts";

// A tiny BERT trained by model/train.py (model/tests/make_node_fixtures.py --bundle): labels non-toxic, insult, threat.
const BUNDLE = path.resolve(import.meta.dirname, "transformer/fixtures/tiny-bundle");

let drop: () => Promise<void>;
let workspaceId: number;
let otherWorkspaceId: number;
let scratch: string;

beforeAll(async () => {
  ({ drop } = await createTestDatabase());
  const ws = await db().workspace.create({ data: { slug: "games", name: "Games" } });
  workspaceId = ws.id;
  await db().category.createMany({
    data: [
      { workspaceId, name: "Non-toxic", isNonToxic: true, sortOrder: 0 },
      { workspaceId, name: "Insult", sortOrder: 10 },
      { workspaceId, name: "Threat", sortOrder: 20 },
    ],
  });
  const other = await db().workspace.create({ data: { slug: "other", name: "Other" } });
  otherWorkspaceId = other.id;
  await db().category.createMany({
    data: [
      { workspaceId: otherWorkspaceId, name: "OK", isNonToxic: true },
      { workspaceId: otherWorkspaceId, name: "non-toxic" },
      { workspaceId: otherWorkspaceId, name: "Insult" },
    ],
  });
  scratch = await mkdtemp(path.join(tmpdir(), "modloop-register-"));
});

afterAll(async () => {
  await releaseModelSessions();
  await rm(scratch, { recursive: true, force: true });
  await drop();
});

async function bundleCopy(name: string, edit?: (manifest: Record<string, unknown>) => void): Promise<string> {
  const dir = path.join(scratch, name);
  await cp(BUNDLE, dir, { recursive: true });
  if (edit) {
    const manifest = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8"));
    edit(manifest);
    await writeFile(path.join(dir, "manifest.json"), JSON.stringify(manifest));
  }
  return dir;
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("registerModelDir", () => {
  it("registers a candidate with labels mapped by name and serves it through the model session", async () => {
    const registered = await registerModelDir({ workspaceId, dir: BUNDLE });
    const categories = await db().category.findMany({ where: { workspaceId }, orderBy: { sortOrder: "asc" } });
    expect(registered.categoryIds).toEqual(categories.map((c) => c.id)); // non-toxic, insult, threat
    const row = await db().modelVersion.findUniqueOrThrow({ where: { id: registered.id } });
    expect(row).toMatchObject({ status: "candidate", kind: "transformer", version: "tiny-fixture" });
    expect(row.tokenizerJson).toBe(await readFile(path.join(BUNDLE, "tokenizer.json"), "utf8"));
    expect(Buffer.from(row.onnx).equals(await readFile(path.join(BUNDLE, "model.onnx")))).toBe(true);

    const texts = ["good game well done mate", "you idiot noob", "i will find you and hurt you"];
    const served = await predictTexts({ modelVersionId: registered.id, texts });
    const direct = await scoreModelDir({ dir: BUNDLE, texts });
    served.forEach((probs, i) => {
      const expected = softmax(Float32Array.from(direct.logits[i]));
      probs.forEach((p, j) => expect(p).toBeCloseTo(expected[j], 6));
    });
  });

  it("refuses the same version twice", async () => {
    const err = await rejection(registerModelDir({ workspaceId, dir: BUNDLE }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toContain("tiny-fixture");
  });

  it("lists the labels that match no category", async () => {
    const dir = await bundleCopy("unknown", (m) => {
      m.version = "renamed";
      m.labels = ["non-toxic", "insult", "doxxing"];
    });
    const err = await rejection(registerModelDir({ workspaceId, dir }));
    expect(err.code).toBe("VALIDATION");
    expect(err.message).toContain("“doxxing”");
    expect(err.message).not.toContain("“insult”,");
    expect(err.details).toEqual({ unknownLabels: ["doxxing"] });
    expect(await db().modelVersion.count({ where: { version: "renamed" } })).toBe(0);
  });

  it("refuses a non-toxic label that lands on a toxic category", async () => {
    // in "other", the category literally named non-toxic is not the workspace's non-toxic class
    const err = await rejection(
      registerModelDir({ workspaceId: otherWorkspaceId, dir: await bundleCopy("inverted", (m) => (m.labels = ["non-toxic", "insult", "ok"])) }),
    );
    expect(err.code).toBe("VALIDATION");
    expect(err.message).toMatch(/not the workspace's non-toxic category/);
  });

  it("explains a broken manifest, a missing ONNX file and an ONNX that does not run", async () => {
    const broken = await rejection(registerModelDir({ workspaceId, dir: await bundleCopy("broken", (m) => (m.nonToxicIndex = 7)) }));
    expect(broken.message).toMatch(/Invalid model manifest: nonToxicIndex/);

    const missing = await bundleCopy("missing");
    await rm(path.join(missing, "model.onnx"));
    expect((await rejection(registerModelDir({ workspaceId, dir: missing }))).message).toMatch(/model.onnx but the file is missing/);

    const garbage = await bundleCopy("garbage", (m) => (m.version = "garbage"));
    await writeFile(path.join(garbage, "model.onnx"), "not an onnx file");
    expect((await rejection(registerModelDir({ workspaceId, dir: garbage }))).message).toMatch(/does not run in onnxruntime-node/);

    const wrongInputs = await bundleCopy("inputs", (m) => {
      m.version = "inputs";
      (m.featurizer as { inputNames: Record<string, string> }).inputNames = { inputIds: "input_ids", attentionMask: "attention_mask" };
    });
    expect((await rejection(registerModelDir({ workspaceId, dir: wrongInputs }))).message).toMatch(
      /ONNX inputs are \[attention_mask, input_ids, token_type_ids\]/,
    );
    expect(await db().modelVersion.count({ where: { workspaceId } })).toBe(1);
  });

  it("registers the same bundle from uploaded files, and asks for a missing tokenizer.json", async () => {
    const manifest = JSON.parse(await readFile(path.join(BUNDLE, "manifest.json"), "utf8"));
    const onnx = new Uint8Array(await readFile(path.join(BUNDLE, "model.onnx")));
    const tokenizerJson = await readFile(path.join(BUNDLE, "tokenizer.json"), "utf8");
    const missing = await rejection(
      registerUploadedModel({ workspaceId, files: { manifestJson: JSON.stringify({ ...manifest, version: "uploaded" }), onnx, tokenizerJson: null } }),
    );
    expect(missing.message).toMatch(/upload its tokenizer.json/);
    const uploaded = await registerUploadedModel({
      workspaceId,
      files: { manifestJson: JSON.stringify({ ...manifest, version: "uploaded" }), onnx, tokenizerJson },
    });
    expect(uploaded).toMatchObject({ version: "uploaded", kind: "transformer" });
    expect(await db().modelVersion.count({ where: { workspaceId } })).toBe(2);
  });

  it("says what to do when the folder has no manifest", async () => {
    expect((await rejection(registerModelDir({ workspaceId, dir: scratch }))).message).toMatch(/no manifest.json/);
  });
});
