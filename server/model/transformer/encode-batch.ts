import { Tokenizer } from "@huggingface/tokenizers";
import * as ort from "onnxruntime-node";
import type { THfTokenizerFeaturizer, TModelManifest } from "@/lib/model/manifest.ts";
import { normalizeText } from "./normalize-text.ts";

/**
 * Turns texts into the int64 [batch, sequence] tensors a fine-tuned transformer's ONNX file takes,
 * exactly as the Python pipeline tokenized them for training (model/train.py): normalise, tokenize with
 * the model's own tokenizer.json (special tokens included), truncate to maxLength keeping the special
 * tokens, pad to the longest text of the batch with padTokenId and a zero attention mask.
 */

// Building a Tokenizer parses a possibly multi-megabyte JSON: keep a few, keyed by the JSON itself
// (V8 caches a string's hash, so repeat lookups with the same string are cheap).
const MAX_CACHED_TOKENIZERS = 4;
const tokenizers = new Map<string, Tokenizer>();

export function getTokenizer(tokenizerJson: string): Tokenizer {
  const cached = tokenizers.get(tokenizerJson);
  if (cached) return cached;
  let parsed: unknown;
  try {
    parsed = JSON.parse(tokenizerJson);
  } catch (err) {
    throw new Error(`tokenizer.json is not valid JSON: ${(err as Error).message}`);
  }
  const tokenizer = new Tokenizer(parsed as object, {});
  if (tokenizers.size >= MAX_CACHED_TOKENIZERS) tokenizers.delete(tokenizers.keys().next().value as string);
  tokenizers.set(tokenizerJson, tokenizer);
  return tokenizer;
}

function hfFeaturizer(manifest: TModelManifest): THfTokenizerFeaturizer {
  if (manifest.featurizer.type !== "hf-tokenizer") {
    throw new Error(`model ${manifest.version} has featurizer ${manifest.featurizer.type}, not hf-tokenizer`);
  }
  return manifest.featurizer;
}

/** Token ids of one text, truncated like Hugging Face's `truncation=True, max_length` for a single sequence. */
export function tokenIds(tokenizer: Tokenizer, featurizer: THfTokenizerFeaturizer, text: string): number[] {
  const normalized = normalizeText(text, featurizer.normalization);
  const full = tokenizer.encode(normalized).ids;
  if (full.length <= featurizer.maxLength) return full;
  // Cut the text's own tokens from the right and keep the template's special tokens around them.
  const content = tokenizer.encode(normalized, { add_special_tokens: false }).ids;
  const specials = full.length - content.length;
  const keep = featurizer.maxLength - specials;
  if (keep < 1) throw new Error(`maxLength ${featurizer.maxLength} leaves no room for text next to ${specials} special tokens`);
  const prefix = findPrefixLength(full, content);
  return [...full.slice(0, prefix), ...content.slice(0, keep), ...full.slice(prefix + content.length)];
}

function findPrefixLength(full: number[], content: number[]): number {
  for (let p = 0; p + content.length <= full.length; p++) {
    let isMatch = true;
    for (let i = 0; i < content.length && isMatch; i++) isMatch = full[p + i] === content[i];
    if (isMatch) return p;
  }
  throw new Error("tokenizer post-processor reorders the text's tokens; cannot truncate safely");
}

/** Token ids of every text (unpadded): what the parity test compares with Python. */
export function tokenizeForTransformer(manifest: TModelManifest, tokenizerJson: string, texts: string[]): number[][] {
  const featurizer = hfFeaturizer(manifest);
  const tokenizer = getTokenizer(tokenizerJson);
  return texts.map((t) => tokenIds(tokenizer, featurizer, t));
}

/** The ONNX feeds for a batch, keyed by the input names the manifest declares. */
export function encodeForTransformer(manifest: TModelManifest, tokenizerJson: string, texts: string[]): Record<string, ort.Tensor> {
  if (texts.length === 0) throw new Error("encodeForTransformer needs at least one text");
  const featurizer = hfFeaturizer(manifest);
  const rows = tokenizeForTransformer(manifest, tokenizerJson, texts);
  const width = Math.max(...rows.map((r) => r.length));
  const size = rows.length * width;
  const ids = new BigInt64Array(size).fill(BigInt(featurizer.padTokenId));
  const mask = new BigInt64Array(size);
  rows.forEach((row, b) => {
    for (let i = 0; i < row.length; i++) {
      ids[b * width + i] = BigInt(row[i]);
      mask[b * width + i] = 1n;
    }
  });
  const dims = [rows.length, width];
  const feeds: Record<string, ort.Tensor> = {
    [featurizer.inputNames.inputIds]: new ort.Tensor("int64", ids, dims),
    [featurizer.inputNames.attentionMask]: new ort.Tensor("int64", mask, dims),
  };
  // single-sequence inputs are all segment 0
  if (featurizer.inputNames.tokenTypeIds) feeds[featurizer.inputNames.tokenTypeIds] = new ort.Tensor("int64", new BigInt64Array(size), dims);
  return feeds;
}
