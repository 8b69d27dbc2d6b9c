import { softmax } from "@/lib/model/onnx-linear.ts";
import { loadModelSession, type TModelSession } from "./load-model-session.ts";

/** Texts per onnxruntime call: large enough to amortise the call, small enough to keep padding waste low. */
export const PREDICT_BATCH_SIZE = 512;

/** Probabilities (manifest label order) for each text, from one batched run. */
export async function runModel(model: TModelSession, texts: string[]): Promise<Float32Array[]> {
  if (texts.length === 0) return [];
  const { manifest, session } = model;
  const out = (await session.run(model.encode(texts)))[manifest.onnx.outputName];
  const [batch, width] = out.dims as number[];
  if (batch !== texts.length || width !== manifest.labels.length) {
    throw new Error(`model ${manifest.version} returned [${out.dims.join(", ")}], expected [${texts.length}, ${manifest.labels.length}]`);
  }
  const data = out.data as Float32Array;
  const rows: Float32Array[] = [];
  for (let r = 0; r < batch; r++) {
    const row = data.slice(r * width, (r + 1) * width);
    rows.push(manifest.onnx.outputIsProbability ? row : softmax(row));
  }
  return rows;
}

/** Class probabilities per text (in the model's label order), batched through the version's session. */
export async function predictTexts(options: { modelVersionId: number; texts: string[]; batchSize?: number }): Promise<Float32Array[]> {
  const model = await loadModelSession(options.modelVersionId);
  const size = Math.max(1, options.batchSize ?? PREDICT_BATCH_SIZE);
  const out: Float32Array[] = [];
  for (let i = 0; i < options.texts.length; i += size) out.push(...(await runModel(model, options.texts.slice(i, i + size))));
  return out;
}
