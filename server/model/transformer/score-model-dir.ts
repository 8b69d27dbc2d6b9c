import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as ort from "onnxruntime-node";
import { calibrateOutput } from "@/lib/calibration/calibrator.ts";
import { parseManifest, type TModelManifest } from "@/lib/model/manifest.ts";
import { encodeForTransformer, tokenizeForTransformer } from "./encode-batch.ts";

export type TModelDir = { manifest: TModelManifest; onnx: Uint8Array; tokenizerJson: string | null };

/** Reads a bundle folder written by model/train.py: manifest.json (validated), the ONNX bytes, tokenizer.json. */
export async function readModelDir(dir: string): Promise<TModelDir> {
  const manifestJson = await readFile(path.join(dir, "manifest.json"), "utf8").catch(() => {
    throw new Error(`${dir}: no manifest.json (expected the folder model/train.py wrote)`);
  });
  const manifest = parseManifestJson(manifestJson);
  const onnx = await readFile(path.join(dir, manifest.onnx.file)).catch(() => {
    throw new Error(`${dir}: manifest names ${manifest.onnx.file} but the file is missing`);
  });
  if (manifest.featurizer.type !== "hf-tokenizer") return { manifest, onnx, tokenizerJson: null };
  const tokenizerJson = await readFile(path.join(dir, manifest.featurizer.tokenizerFile), "utf8").catch(() => {
    throw new Error(`${dir}: manifest names a tokenizer file that is missing (expected tokenizer.json next to manifest.json)`);
  });
  return { manifest, onnx, tokenizerJson };
}

/** The same bundle from uploaded files (the registry page's upload): manifest text, ONNX bytes, tokenizer.json text. */
export function modelDirFromFiles(files: { manifestJson: string; onnx: Uint8Array; tokenizerJson: string | null }): TModelDir {
  const manifest = parseManifestJson(files.manifestJson);
  if (manifest.featurizer.type === "hf-tokenizer" && files.tokenizerJson === null) {
    throw new Error(`model ${manifest.version} is a transformer: upload its tokenizer.json with manifest.json and model.onnx`);
  }
  return { manifest, onnx: files.onnx, tokenizerJson: manifest.featurizer.type === "hf-tokenizer" ? files.tokenizerJson : null };
}

function parseManifestJson(text: string): TModelManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`manifest.json is not valid JSON: ${(err as Error).message}`);
  }
  return parseManifest(json);
}

export type TModelDirScores = {
  ids: number[][];
  /** the raw ONNX output (the parity test compares it with PyTorch's logits) */
  logits: number[][];
  /** what the server serves: the output mapped by the manifest's calibration (lib/calibration) */
  probs: number[][];
};

/**
 * Runs a bundle's transformer on texts through onnxruntime-node, as the server would, and checks the
 * contract on the way: the ONNX inputs are the manifest's inputNames, the output is [texts, labels].
 */
export async function runModelDir(model: TModelDir, texts: string[]): Promise<TModelDirScores> {
  const { manifest, onnx, tokenizerJson } = model;
  if (tokenizerJson === null) throw new Error(`model ${manifest.version}: runModelDir handles hf-tokenizer models only`);
  const session = await ort.InferenceSession.create(onnx);
  try {
    const feeds = encodeForTransformer(manifest, tokenizerJson, texts);
    const expected = [...session.inputNames].sort();
    const given = Object.keys(feeds).sort();
    if (expected.join() !== given.join()) {
      throw new Error(`ONNX inputs are [${expected.join(", ")}] but the manifest's inputNames give [${given.join(", ")}]`);
    }
    const out = (await session.run(feeds))[manifest.onnx.outputName];
    if (!out) throw new Error(`ONNX has no output named ${manifest.onnx.outputName} (has ${session.outputNames.join(", ")})`);
    const [batch, width] = out.dims as number[];
    if (batch !== texts.length || width !== manifest.labels.length) {
      throw new Error(`ONNX output is [${out.dims.join(", ")}], expected [${texts.length}, ${manifest.labels.length}] (one column per label)`);
    }
    const data = out.data as Float32Array;
    const logits = Array.from({ length: batch }, (_, b) => Array.from(data.subarray(b * width, (b + 1) * width)));
    const probs = Array.from({ length: batch }, (_, b) =>
      Array.from(calibrateOutput(manifest.calibration, data.slice(b * width, (b + 1) * width), manifest.onnx.outputIsProbability)),
    );
    return { ids: tokenizeForTransformer(manifest, tokenizerJson, texts), logits, probs };
  } finally {
    await session.release();
  }
}

/** Reads and runs a bundle folder: the Python/Node parity test's entry point. */
export async function scoreModelDir(options: { dir: string; texts: string[] }): Promise<TModelDirScores> {
  return runModelDir(await readModelDir(options.dir), options.texts);
}

// CLI for the parity test (model/tests/test_node_parity.py): tsx score-model-dir.ts <dir> <texts.json>
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, textsFile] = process.argv.slice(2);
  const texts = JSON.parse(await readFile(textsFile, "utf8")) as string[];
  process.stdout.write(JSON.stringify(await scoreModelDir({ dir, texts })));
}
