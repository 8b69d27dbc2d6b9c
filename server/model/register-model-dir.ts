import * as ort from "onnxruntime-node";
import { AppError } from "@/lib/errors.ts";
import type { TModelManifest } from "@/lib/model/manifest.ts";
import { db } from "../db/client.ts";
import { modelDirFromFiles, readModelDir, runModelDir, type TModelDir } from "./transformer/score-model-dir.ts";
import type { TRegisteredModel } from "@/lib/registry/contract.ts";

type TRegisterModelDirOptions = {
  workspaceId: number;
  /** a folder written by model/train.py: manifest.json, model.onnx, tokenizer.json */
  dir: string;
  trainedById?: number | null;
};

// Texts that exercise padding (two lengths) when checking that the model really runs.
const SMOKE_TEXTS = ["good game", "you are the worst player I have ever seen @someone http://example.com"];

/**
 * Registers a model folder as a candidate version of the workspace: the manifest must satisfy the
 * contract, the ONNX file must load and run in onnxruntime-node, and every label must name one of the
 * workspace's categories, so a version can never score into a category that does not exist.
 */
export async function registerModelDir({ workspaceId, dir, trainedById = null }: TRegisterModelDirOptions): Promise<TRegisteredModel> {
  let model: TModelDir;
  try {
    model = await readModelDir(dir);
  } catch (err) {
    throw new AppError("VALIDATION", (err as Error).message);
  }
  return registerModelBundle({ workspaceId, model, trainedById });
}

/** The same checks and insert for a bundle uploaded on the registry page instead of read from a folder. */
export async function registerUploadedModel(options: {
  workspaceId: number;
  files: { manifestJson: string; onnx: Uint8Array; tokenizerJson: string | null };
  trainedById?: number | null;
}): Promise<TRegisteredModel> {
  let model: TModelDir;
  try {
    model = modelDirFromFiles(options.files);
  } catch (err) {
    throw new AppError("VALIDATION", (err as Error).message);
  }
  return registerModelBundle({ workspaceId: options.workspaceId, model, trainedById: options.trainedById ?? null });
}

async function registerModelBundle({
  workspaceId,
  model,
  trainedById,
}: {
  workspaceId: number;
  model: TModelDir;
  trainedById: number | null;
}): Promise<TRegisteredModel> {
  const { manifest } = model;
  const categoryIds = await mapLabelsToCategories(workspaceId, manifest);
  await assertModelRuns(model);

  const existing = await db().modelVersion.findUnique({ where: { workspaceId_version: { workspaceId, version: manifest.version } }, select: { id: true } });
  if (existing) {
    throw new AppError(
      "CONFLICT",
      `Version “${manifest.version}” is already registered in this workspace (id ${existing.id}); retrain with another --version or import a different folder.`,
    );
  }
  const row = await db().modelVersion.create({
    data: {
      workspaceId,
      version: manifest.version,
      kind: manifest.kind,
      status: "candidate",
      manifest: manifest as object,
      onnx: new Uint8Array(model.onnx), // Prisma wants a plain ArrayBuffer-backed array, not a Node Buffer
      categoryIds,
      metrics: manifest.metrics as object,
      trainedById,
      tokenizerJson: model.tokenizerJson,
    },
    select: { id: true },
  });
  return { id: row.id, version: manifest.version, kind: manifest.kind, categoryIds };
}

/** Output index → category id, by category name (exact, else case-insensitive), non-toxic to non-toxic. */
async function mapLabelsToCategories(workspaceId: number, manifest: TModelManifest): Promise<number[]> {
  const categories = await db().category.findMany({ where: { workspaceId }, select: { id: true, name: true, isNonToxic: true } });
  if (categories.length === 0) throw new AppError("NOT_FOUND", `Workspace ${workspaceId} has no categories; create the taxonomy before importing a model.`);
  const byName = new Map(categories.map((c) => [c.name, c]));
  const byFolded = new Map<string, (typeof categories)[number][]>();
  for (const c of categories) byFolded.set(fold(c.name), [...(byFolded.get(fold(c.name)) ?? []), c]);

  const unknown: string[] = [];
  const matched = manifest.labels.map((label) => {
    const exact = byName.get(label);
    if (exact) return exact;
    const folded = byFolded.get(fold(label)) ?? [];
    if (folded.length === 1) return folded[0];
    unknown.push(label);
    return null;
  });
  if (unknown.length > 0) {
    throw new AppError(
      "VALIDATION",
      `The model's labels ${unknown.map((l) => `“${l}”`).join(", ")} match no category of this workspace (it has ${categories.map((c) => `“${c.name}”`).join(", ")}). ` +
        "Create or rename categories to match, or retrain with the workspace's category names.",
      { unknownLabels: unknown },
    );
  }
  const ids = matched.map((c) => c!.id);
  if (new Set(ids).size !== ids.length) {
    throw new AppError("VALIDATION", "Two of the model's labels map onto the same category; labels must name distinct categories.");
  }
  const nonToxic = matched[manifest.nonToxicIndex]!;
  if (!nonToxic.isNonToxic) {
    throw new AppError(
      "VALIDATION",
      `The model's non-toxic label “${manifest.labels[manifest.nonToxicIndex]}” maps to “${nonToxic.name}”, which is not the workspace's non-toxic category; toxic scores would be inverted.`,
    );
  }
  return ids;
}

function fold(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
}

async function assertModelRuns(model: TModelDir): Promise<void> {
  try {
    if (model.tokenizerJson !== null) {
      await runModelDir(model, SMOKE_TEXTS);
      return;
    }
    // hashed-linear folders: the featurizer is lib/model's; check the file loads and has the declared output
    const session = await ort.InferenceSession.create(model.onnx);
    const hasOutput = session.outputNames.includes(model.manifest.onnx.outputName);
    const outputs = session.outputNames.join(", ");
    await session.release();
    if (!hasOutput) throw new Error(`ONNX has no output named ${model.manifest.onnx.outputName} (has ${outputs})`);
  } catch (err) {
    throw new AppError("VALIDATION", `The model in this folder does not run in onnxruntime-node: ${(err as Error).message}`);
  }
}
