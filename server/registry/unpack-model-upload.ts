import path from "node:path";
import { gunzipSync } from "node:zlib";
import { AppError } from "@/lib/errors.ts";

export type TUploadedFile = { name: string; bytes: Uint8Array };

function readTar(bytes: Uint8Array): TUploadedFile[] {
  const files: TUploadedFile[] = [];
  const text = (from: number, len: number) => new TextDecoder().decode(bytes.subarray(from, from + len)).replace(/\0[\s\S]*$/, "");
  let offset = 0;
  while (offset + 512 <= bytes.length) {
    const name = text(offset, 100);
    if (name === "") break; // end-of-archive blocks
    const size = parseInt(text(offset + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(bytes[offset + 156] || 48);
    const prefix = text(offset + 345, 155);
    if (!Number.isFinite(size) || size < 0 || offset + 512 + size > bytes.length) {
      throw new AppError("VALIDATION", `The archive is truncated or not a tar file (entry "${name}" at byte ${offset}).`);
    }
    if (type === "0" || type === "\0") files.push({ name: prefix ? `${prefix}/${name}` : name, bytes: bytes.subarray(offset + 512, offset + 512 + size) });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/**
 * Turns an upload (a .tar / .tar.gz of the folder model/train.py writes, or its files picked one by
 * one: manifest.json, model.onnx, tokenizer.json) into the three files registerUploadedModel takes.
 * Archive sub-folders are ignored (only base names count), so any layout of the folder works.
 */
export function unpackModelUpload(files: readonly TUploadedFile[]): { manifestJson: string; onnx: Uint8Array; tokenizerJson: string | null } {
  if (files.length === 0)
    throw new AppError("VALIDATION", "Choose the model folder's files (manifest.json, model.onnx, tokenizer.json) or one .tar.gz of the folder.");
  let entries: TUploadedFile[] = [...files];
  if (files.length === 1 && /\.(tar|tar\.gz|tgz)$/i.test(files[0].name)) {
    let raw = files[0].bytes;
    if (/gz$/i.test(files[0].name)) {
      try {
        raw = gunzipSync(raw);
      } catch (err) {
        throw new AppError("VALIDATION", `${files[0].name} is not a valid gzip file: ${(err as Error).message}`);
      }
    }
    entries = readTar(raw);
  } else if (files.length === 1 && /\.zip$/i.test(files[0].name)) {
    throw new AppError(
      "VALIDATION",
      "Zip archives are not supported: upload a .tar.gz of the folder, or its files (manifest.json, model.onnx, tokenizer.json).",
    );
  }
  const byName = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const base = path.posix.basename(entry.name.replaceAll("\\", "/"));
    if (base.startsWith(".")) continue; // macOS resource forks (._model.onnx) and hidden files
    if (byName.has(base)) throw new AppError("VALIDATION", `The upload holds two files named ${base}; upload one model folder at a time.`);
    byName.set(base, entry.bytes);
  }
  const manifest = byName.get("manifest.json");
  if (!manifest)
    throw new AppError("VALIDATION", "The upload has no manifest.json: pick the folder model/train.py wrote (manifest.json, model.onnx, tokenizer.json).");
  const manifestJson = new TextDecoder().decode(manifest);
  // The manifest names its files; fall back to the defaults when it cannot be read (registration reports why).
  let onnxName = "model.onnx";
  let tokenizerName = "tokenizer.json";
  try {
    const parsed = JSON.parse(manifestJson) as { onnx?: { file?: string }; featurizer?: { tokenizerFile?: string } };
    onnxName = parsed.onnx?.file ?? onnxName;
    tokenizerName = parsed.featurizer?.tokenizerFile ?? tokenizerName;
  } catch {
    /* registerUploadedModel validates the manifest and says what is wrong */
  }
  const onnx = byName.get(path.posix.basename(onnxName));
  if (!onnx) throw new AppError("VALIDATION", `The upload has no ${onnxName} (the manifest's ONNX file); add it next to manifest.json.`);
  const tokenizer = byName.get(path.posix.basename(tokenizerName));
  return { manifestJson, onnx, tokenizerJson: tokenizer ? new TextDecoder().decode(tokenizer) : null };
}
