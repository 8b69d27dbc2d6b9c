import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as ort from "onnxruntime-node";
import { parseManifest, type TModelManifest } from "@/lib/model/manifest.ts";
import { encodeForTransformer, tokenizeForTransformer } from "./encode-batch.ts";

export type TModelDir = { manifest: TModelManifest; onnx: Uint8Array; tokenizerJson: string | null };

/** Reads a bundle folder written by model/train.py: manifest.json (validated), the ONNX bytes, tokenizer.json. */
export async function readModelDir(dir: string): Promise<TModelDir> {
  const raw = await readFile(path.join(dir, "manifest.json"), "utf8").catch(() => {
    throw new Error(`${dir}: no manifest.json (expected the folder model/train.py wrote)`);
  });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new Error(`${dir}/manifest.json is not valid JSON: ${(err as Error).message}`);
  }
  const manifest = parseManifest(json);
  const onnx = await readFile(path.join(dir, manifest.onnx.file)).catch(() => {
    throw new Error(`${dir}: manifest names ${manifest.onnx.file} but the file is missing`);
  });
  if (manifest.featurizer.type !== "hf-tokenizer") return { manifest, onnx, tokenizerJson: null };
  const tokenizerJson = await readFile(path.join(dir, manifest.featurizer.tokenizerFile), "utf8").catch(() => {
    throw new Error(`${dir}: manifest names ${manifest.featurizer.type === "hf-tokenizer" ? manifest.featurizer.tokenizerFile : ""} but the file is missing`);
  });
  return { manifest, onnx, tokenizerJson };
}

/**
 * Runs a transformer bundle on texts through onnxruntime-node, as the server would: used to check a
 * bundle before registering it and by the Python/Node parity test.
 */
export async function scoreModelDir(options: { dir: string; texts: string[] }): Promise<{ ids: number[][]; logits: number[][] }> {
  const { manifest, onnx, tokenizerJson } = await readModelDir(options.dir);
  if (tokenizerJson === null) throw new Error(`${options.dir}: scoreModelDir handles hf-tokenizer models only`);
  const session = await ort.InferenceSession.create(onnx);
  try {
    const feeds = encodeForTransformer(manifest, tokenizerJson, options.texts);
    const expected = [...session.inputNames].sort();
    const given = Object.keys(feeds).sort();
    if (expected.join() !== given.join()) {
      throw new Error(`ONNX inputs are [${expected.join(", ")}] but the manifest's inputNames give [${given.join(", ")}]`);
    }
    const out = (await session.run(feeds))[manifest.onnx.outputName];
    if (!out) throw new Error(`ONNX has no output named ${manifest.onnx.outputName} (has ${session.outputNames.join(", ")})`);
    const [batch, width] = out.dims as number[];
    if (batch !== options.texts.length || width !== manifest.labels.length) {
      throw new Error(`ONNX output is [${out.dims.join(", ")}], expected [${options.texts.length}, ${manifest.labels.length}] (one column per label)`);
    }
    const data = out.data as Float32Array;
    const logits = Array.from({ length: batch }, (_, b) => Array.from(data.subarray(b * width, (b + 1) * width)));
    return { ids: tokenizeForTransformer(manifest, tokenizerJson, options.texts), logits };
  } finally {
    await session.release();
  }
}

// CLI for the parity test (model/tests/test_node_parity.py): tsx score-model-dir.ts <dir> <texts.json>
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, textsFile] = process.argv.slice(2);
  const texts = JSON.parse(await readFile(textsFile, "utf8")) as string[];
  process.stdout.write(JSON.stringify(await scoreModelDir({ dir, texts })));
}
