import { z } from "zod";

/**
 * The one model contract: an ONNX file plus this JSON manifest. Python (model/) writes it for
 * fine-tuned transformers, the TypeScript trainer writes it for the default hashed-linear model,
 * and the server validates it with ZModelManifest whenever a model is loaded or registered.
 */

/** fastText-style hashed word and character n-grams (the default quick model). */
export const ZHashedNgramFeaturizer = z.object({
  type: z.literal("hashed-ngrams"),
  /** number of hash buckets (rows of the weight matrix) */
  buckets: z.number().int().positive(),
  /** inclusive n-gram ranges; [0, 0] disables */
  wordNgrams: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  charNgrams: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  lowercase: z.boolean(),
  /** maximum features per text (the ONNX input's second dimension is padded to the batch max) */
  maxFeatures: z.number().int().positive(),
  hashSeed: z.number().int().nonnegative(),
  // Added with defaults so manifests written before these knobs existed still parse unchanged.
  /** runs of one repeated character are cut to this length ("fuuuuck" → "fuuck"); 0 keeps them */
  squeezeRepeats: z.number().int().nonnegative().default(3),
  /** 1 + ln(tf) instead of raw counts, as sublinear_tf in scikit-learn */
  sublinearTf: z.boolean().default(true),
  /** weight of word n-grams relative to character n-grams; each block is L2-normalised on its own */
  wordWeight: z.number().nonnegative().default(1),
  /** L2-normalise each block so long and short texts score on one scale */
  l2Normalize: z.boolean().default(true),
});

/** A Hugging Face tokenizer.json (WordPiece or BPE) read in Node by @huggingface/tokenizers. */
export const ZHfTokenizerFeaturizer = z.object({
  type: z.literal("hf-tokenizer"),
  tokenizerFile: z.string().default("tokenizer.json"),
  maxLength: z.number().int().positive(),
  /** "bertweet": @user → @USER and URLs → HTTPURL before tokenizing, as BERTweet was pretrained */
  normalization: z.enum(["none", "bertweet"]).default("none"),
  padTokenId: z.number().int().nonnegative(),
  inputNames: z.object({
    inputIds: z.string().default("input_ids"),
    attentionMask: z.string().default("attention_mask"),
    tokenTypeIds: z.string().optional(),
  }),
});

export const ZFeaturizer = z.discriminatedUnion("type", [ZHashedNgramFeaturizer, ZHfTokenizerFeaturizer]);

export const ZModelManifest = z
  .object({
    schemaVersion: z.literal(1),
    /** unique within a workspace, e.g. "linear-20261128-203000" */
    version: z.string().min(1),
    kind: z.enum(["hashed-linear", "transformer"]),
    /** category names in output order; exactly one of them is the non-toxic class */
    labels: z.array(z.string().min(1)).min(2),
    nonToxicIndex: z.number().int().nonnegative(),
    featurizer: ZFeaturizer,
    onnx: z.object({
      file: z.string().default("model.onnx"),
      /** name of the output tensor, shape [batch, labels] */
      outputName: z.string(),
      /** true when the output is already softmax probabilities, false for logits */
      outputIsProbability: z.boolean(),
      opset: z.number().int().positive().optional(),
    }),
    training: z.object({
      /** e.g. "modloop-linear-trainer" or a Hugging Face checkpoint name */
      baseModel: z.string(),
      trainedAt: z.string(),
      examples: z.number().int().nonnegative(),
      /** snapshot id or dataset description the model was trained on */
      dataset: z.string(),
      params: z.record(z.string(), z.unknown()).default({}),
    }),
    metrics: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((m) => m.nonToxicIndex < m.labels.length, { message: "nonToxicIndex must point into labels", path: ["nonToxicIndex"] })
  .refine((m) => new Set(m.labels).size === m.labels.length, { message: "labels must be unique", path: ["labels"] });

export type TModelManifest = z.infer<typeof ZModelManifest>;
export type THashedNgramFeaturizer = z.infer<typeof ZHashedNgramFeaturizer>;
export type THfTokenizerFeaturizer = z.infer<typeof ZHfTokenizerFeaturizer>;

/** Parses a manifest and turns zod issues into one readable message that says what to fix. */
export function parseManifest(raw: unknown): TModelManifest {
  const r = ZModelManifest.safeParse(raw);
  if (!r.success) {
    throw new Error(`Invalid model manifest: ${r.error.issues.map((i) => `${i.path.join(".") || "manifest"}: ${i.message}`).join("; ")}`);
  }
  return r.data;
}
