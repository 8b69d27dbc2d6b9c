import type * as ort from "onnxruntime-node";
import { calibrateOutput } from "@/lib/calibration/calibrator.ts";
import { loadModelSession, type TModelSession } from "./load-model-session.ts";

/** Texts per onnxruntime call: large enough to amortise the call, small enough to keep padding waste low. */
export const PREDICT_BATCH_SIZE = 512;

async function runFeeds(model: TModelSession, feeds: Record<string, ort.Tensor>, count: number, isRaw = false): Promise<Float32Array[]> {
  const { manifest, session } = model;
  const out = (await session.run(feeds))[manifest.onnx.outputName];
  const [batch, width] = out.dims as number[];
  if (batch !== count || width !== manifest.labels.length) {
    throw new Error(`model ${manifest.version} returned [${out.dims.join(", ")}], expected [${count}, ${manifest.labels.length}]`);
  }
  const data = out.data as Float32Array;
  const rows: Float32Array[] = [];
  if (isRaw) {
    for (let r = 0; r < batch; r++) rows.push(data.slice(r * width, (r + 1) * width));
    return rows;
  }
  // The manifest's calibration is applied here, the one place any prediction leaves a model: the queue,
  // requeue, routing, thresholds, evaluation and the machine API all read calibrated probabilities.
  for (let r = 0; r < batch; r++) rows.push(calibrateOutput(manifest.calibration, data.slice(r * width, (r + 1) * width), manifest.onnx.outputIsProbability));
  return rows;
}

/**
 * Calibrated probabilities (manifest label order) for each text: the model's output mapped by its
 * manifest's `calibration` block (lib/calibration/calibrator.ts; none for models from before it).
 * Never run a model's ONNX session around this function. Batches are pipelined: the next batch is
 * featurized on this thread while onnxruntime runs the previous one on its own threads.
 */
export async function runModel(model: TModelSession, texts: string[], batchSize = PREDICT_BATCH_SIZE, isRaw = false): Promise<Float32Array[]> {
  const size = Math.max(1, batchSize);
  const out: Float32Array[] = [];
  let inFlight: Promise<Float32Array[]> | null = null;
  for (let i = 0; i < texts.length; i += size) {
    const slice = texts.slice(i, i + size);
    const next = runFeeds(model, model.encode(slice), slice.length, isRaw);
    // keep a rejected run from going unhandled while we featurize the next batch
    next.catch(() => {});
    if (inFlight) out.push(...(await inFlight));
    inFlight = next;
  }
  if (inFlight) out.push(...(await inFlight));
  return out;
}

/**
 * The model's own outputs (logits, or probabilities when manifest.onnx.outputIsProbability), NOT
 * calibrated: for explanations only (server/queue/explain-cards.ts), which compare a text with its
 * variants in log-odds. A sharpening calibration (temperature well below 1) saturates float32
 * probabilities at 0/1 and would flatten every such difference; it never reorders them.
 */
export function runModelUncalibrated(model: TModelSession, texts: string[]): Promise<Float32Array[]> {
  return runModel(model, texts, PREDICT_BATCH_SIZE, true);
}

/** Class probabilities per text (in the model's label order), batched through the version's session. */
export async function predictTexts(options: { modelVersionId: number; texts: string[]; batchSize?: number }): Promise<Float32Array[]> {
  const model = await loadModelSession(options.modelVersionId);
  return runModel(model, options.texts, options.batchSize);
}
