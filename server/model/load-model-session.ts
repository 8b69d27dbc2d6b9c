import * as ort from "onnxruntime-node";
import { AppError } from "@/lib/errors.ts";
import { HashedNgramFeaturizer } from "@/lib/model/featurize.ts";
import { parseManifest, type TModelManifest } from "@/lib/model/manifest.ts";
import { getPool } from "../db/pool.ts";

/** A model version ready to run: its validated manifest, output → category mapping and inference session. */
export type TModelSession = {
  modelVersionId: number;
  workspaceId: number;
  manifest: TModelManifest;
  /** output index → category id */
  categoryIds: number[];
  session: ort.InferenceSession;
  /** texts → the ONNX inputs, per the manifest's featurizer */
  encode: (texts: string[]) => Record<string, ort.Tensor>;
};

// Sessions per model version, shared by every request and job of this process (and kept across dev
// reloads). A version's bytes never change, so the id is a safe key. Promises, so concurrent first
// calls create one session, not several.
const MAX_SESSIONS = 4;
const globalForModels = globalThis as unknown as { modloopModelSessions?: Map<number, Promise<TModelSession>> };

function cache(): Map<number, Promise<TModelSession>> {
  globalForModels.modloopModelSessions ??= new Map();
  return globalForModels.modloopModelSessions;
}

async function transformerEncoder(manifest: TModelManifest, tokenizerJson: string | null): Promise<(texts: string[]) => Record<string, ort.Tensor>> {
  if (tokenizerJson === null) {
    throw new AppError("NO_MODEL", `Model ${manifest.version} needs its tokenizer.json, which is not stored with it; re-import the model folder.`);
  }
  // Loaded only when a transformer is served: the tokenizer library stays out of linear-only processes.
  let mod: { encodeForTransformer: (m: TModelManifest, tokenizerJson: string, texts: string[]) => Record<string, ort.Tensor> };
  try {
    mod = await import("./transformer/encode-batch.ts");
  } catch (err) {
    throw new AppError("NO_MODEL", `Model ${manifest.version} is a transformer, but its encoder failed to load: ${(err as Error).message}`);
  }
  return (texts) => mod.encodeForTransformer(manifest, tokenizerJson, texts);
}

/** Texts → the hashed-linear model's ONNX inputs (exported for the scoring benchmark). */
export function linearEncoder(manifest: TModelManifest): (texts: string[]) => Record<string, ort.Tensor> {
  if (manifest.featurizer.type !== "hashed-ngrams") throw new Error("not a hashed-ngrams model");
  const featurizer = new HashedNgramFeaturizer(manifest.featurizer);
  return (texts) => {
    const batch = featurizer.featurizeBatch(texts);
    return {
      indices: new ort.Tensor("int64", batch.indices, [batch.batch, batch.width]),
      values: new ort.Tensor("float32", batch.values, [batch.batch, batch.width]),
    };
  };
}

/**
 * The hashed-linear graph is a memory-bound gather of a few thousand rows per batch: one thread
 * runs it as fast as two, and a second spinning thread only steals the core the featurizer of the
 * next batch needs (measured 2× slower with the default pool on the shared 2-core machine).
 * Transformers keep onnxruntime's default pool. Never pass intraOpNumThreads: undefined (it throws).
 */
export function sessionOptionsFor(manifest: TModelManifest): ort.InferenceSession.SessionOptions {
  const base: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: "all", executionMode: "sequential" };
  return manifest.featurizer.type === "hashed-ngrams" ? { ...base, intraOpNumThreads: 1, interOpNumThreads: 1 } : base;
}

async function createModelSession(modelVersionId: number): Promise<TModelSession> {
  const { rows } = await getPool().query<{
    workspace_id: number;
    manifest: unknown;
    onnx: Buffer;
    category_ids: number[] | null;
    tokenizer_json: string | null;
  }>(`SELECT workspace_id, manifest, onnx, category_ids, tokenizer_json FROM model_version WHERE id = $1`, [modelVersionId]);
  const row = rows[0];
  if (!row) throw new AppError("NOT_FOUND", `Model version ${modelVersionId} does not exist; pick one from the model registry.`);
  let manifest: TModelManifest;
  try {
    manifest = parseManifest(row.manifest);
  } catch (err) {
    throw new AppError("VALIDATION", `Model version ${modelVersionId} has a broken manifest: ${(err as Error).message}`);
  }
  const categoryIds = row.category_ids ?? [];
  if (categoryIds.length !== manifest.labels.length) {
    throw new AppError(
      "VALIDATION",
      `Model version ${modelVersionId} maps ${categoryIds.length} outputs to categories but its manifest has ${manifest.labels.length} labels.`,
    );
  }
  const encode = manifest.featurizer.type === "hashed-ngrams" ? linearEncoder(manifest) : await transformerEncoder(manifest, row.tokenizer_json);
  const session = await ort.InferenceSession.create(new Uint8Array(row.onnx.buffer, row.onnx.byteOffset, row.onnx.byteLength), sessionOptionsFor(manifest));
  if (!session.outputNames.includes(manifest.onnx.outputName)) {
    await session.release();
    throw new AppError(
      "VALIDATION",
      `Model version ${modelVersionId} has no ONNX output "${manifest.onnx.outputName}" (has ${session.outputNames.join(", ")}).`,
    );
  }
  return { modelVersionId, workspaceId: row.workspace_id, manifest, categoryIds, session, encode };
}

/** The inference session of a model version, created on first use and cached for the process. */
export function loadModelSession(modelVersionId: number): Promise<TModelSession> {
  const sessions = cache();
  const hit = sessions.get(modelVersionId);
  if (hit) {
    // refresh its place in the LRU order
    sessions.delete(modelVersionId);
    sessions.set(modelVersionId, hit);
    return hit;
  }
  const created = createModelSession(modelVersionId);
  sessions.set(modelVersionId, created);
  // a failed load must not stick: the next call tries again (e.g. after the row is fixed)
  created.catch(() => {
    if (sessions.get(modelVersionId) === created) sessions.delete(modelVersionId);
  });
  while (sessions.size > MAX_SESSIONS) {
    const [oldestId, oldest] = sessions.entries().next().value as [number, Promise<TModelSession>];
    sessions.delete(oldestId);
    oldest.then((s) => s.session.release()).catch(() => {});
  }
  return created;
}

/** Drops every cached session (tests; a process that switches databases). */
export async function releaseModelSessions(): Promise<void> {
  const sessions = cache();
  const all = [...sessions.values()];
  sessions.clear();
  await Promise.all(all.map((p) => p.then((s) => s.session.release()).catch(() => {})));
}
