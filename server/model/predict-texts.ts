import type * as ort from "onnxruntime-node";
import { softmax } from "@/lib/model/onnx-linear.ts";
import { loadModelSession, type TModelSession } from "./load-model-session.ts";

/** Texts per onnxruntime call: large enough to amortise the call, small enough to keep padding waste low. */
export const PREDICT_BATCH_SIZE = 512;

async function runFeeds(model: TModelSession, feeds: Record<string, ort.Tensor>, count: number): Promise<Float32Array[]> {
  const { manifest, session } = model;
  const out = (await session.run(feeds))[manifest.onnx.outputName];
  const [batch, width] = out.dims as number[];
  if (batch !== count || width !== manifest.labels.length) {
    throw new Error(`model ${manifest.version} returned [${out.dims.join(", ")}], expected [${count}, ${manifest.labels.length}]`);
  }
  const data = out.data as Float32Array;
  const rows: Float32Array[] = [];
  for (let r = 0; r < batch; r++) {
    const row = data.slice(r * width, (r + 1) * width);
    rows.push(manifest.onnx.outputIsProbability ? row : softmax(row));
  }
  return rows;
}

/**
 * Probabilities (manifest label order) for each text. Batches are pipelined: the next batch is
 * featurized on this thread while onnxruntime runs the previous one on its own threads.
 */
export async function runModel(model: TModelSession, texts: string[], batchSize = PREDICT_BATCH_SIZE): Promise<Float32Array[]> {
  const size = Math.max(1, batchSize);
  const out: Float32Array[] = [];
  let inFlight: Promise<Float32Array[]> | null = null;
  for (let i = 0; i < texts.length; i += size) {
    const slice = texts.slice(i, i + size);
    const next = runFeeds(model, model.encode(slice), slice.length);
    // keep a rejected run from going unhandled while we featurize the next batch
    next.catch(() => {});
    if (inFlight) out.push(...(await inFlight));
    inFlight = next;
  }
  if (inFlight) out.push(...(await inFlight));
  return out;
}

/** Class probabilities per text (in the model's label order), batched through the version's session. */
export async function predictTexts(options: { modelVersionId: number; texts: string[]; batchSize?: number }): Promise<Float32Array[]> {
  const model = await loadModelSession(options.modelVersionId);
  return runModel(model, options.texts, options.batchSize);
}
