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

/** ECE (15 bins, top label), mean NLL and binary Brier score of one set of probabilities. */
const ZCalibrationFigures = z.object({
  ece: z.number().nullable(),
  nll: z.number().nullable(),
  brierBinary: z.number().nullable(),
});

/**
 * How the model's outputs are turned into calibrated probabilities (lib/calibration/calibrator.ts).
 * Every method maps the log-probabilities u = log softmax(output) (log p when the output is already a
 * probability) to softmax(scale ⊙ u + shift): "temperature" is scale = 1/T, shift = 0; "vector" has
 * one scale and one shift per label (vector scaling of the log-probabilities, i.e. diagonal Dirichlet
 * calibration); "none" leaves the outputs as they are. server/model/predict-texts.ts applies it to
 * every prediction, so nothing downstream sees uncalibrated numbers. Absent: a model from before
 * calibration existed, served as it was.
 */
export const ZCalibration = z
  .object({
    method: z.enum(["none", "temperature", "vector"]),
    temperature: z.number().positive().optional(),
    scale: z.array(z.number()).optional(),
    shift: z.array(z.number()).optional(),
    /** what it was fitted on: the trainer's out-of-fold probabilities, or the fine-tuning validation split */
    fittedOn: z.enum(["out-of-fold", "validation"]),
    examples: z.number().int().nonnegative(),
    /** out-of-fold: cross-fitting folds; validation: the folds the method comparison used */
    folds: z.number().int().nonnegative(),
    /** the method with the lowest held-out NLL among the candidates (ties: the simpler one) */
    chosenBy: z.string(),
    /** each candidate's held-out figures (fitted on the other folds, measured on the left-out one) */
    candidates: z.array(ZCalibrationFigures.extend({ method: z.enum(["none", "temperature", "vector"]) })),
    /** the fit data before and after (in-sample for "after": the candidates' figures are the held-out ones) */
    before: ZCalibrationFigures,
    after: ZCalibrationFigures,
    /** the default flag threshold for the calibrated toxic score (null: the data had one class only) */
    flagThreshold: z.number().min(0).max(1).nullable(),
    /** how flagThreshold was chosen */
    thresholdRule: z.string(),
  })
  .superRefine((c, ctx) => {
    if (c.method === "temperature" && c.temperature === undefined)
      ctx.addIssue({ code: "custom", message: "temperature calibration needs a temperature", path: ["temperature"] });
    if (c.method === "vector" && (c.scale === undefined || c.shift === undefined))
      ctx.addIssue({ code: "custom", message: "vector calibration needs scale and shift", path: ["scale"] });
  });

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
    calibration: ZCalibration.optional(),
  })
  .refine((m) => m.nonToxicIndex < m.labels.length, { message: "nonToxicIndex must point into labels", path: ["nonToxicIndex"] })
  .refine((m) => m.calibration?.method !== "vector" || (m.calibration.scale?.length === m.labels.length && m.calibration.shift?.length === m.labels.length), {
    message: "vector calibration needs one scale and one shift per label",
    path: ["calibration"],
  })
  .refine((m) => new Set(m.labels).size === m.labels.length, { message: "labels must be unique", path: ["labels"] });

export type TModelManifest = z.infer<typeof ZModelManifest>;
export type THashedNgramFeaturizer = z.infer<typeof ZHashedNgramFeaturizer>;
export type THfTokenizerFeaturizer = z.infer<typeof ZHfTokenizerFeaturizer>;
export type TCalibration = z.infer<typeof ZCalibration>;
export type TCalibrationMethod = TCalibration["method"];

/** Parses a manifest and turns zod issues into one readable message that says what to fix. */
export function parseManifest(raw: unknown): TModelManifest {
  const r = ZModelManifest.safeParse(raw);
  if (!r.success) {
    throw new Error(`Invalid model manifest: ${r.error.issues.map((i) => `${i.path.join(".") || "manifest"}: ${i.message}`).join("; ")}`);
  }
  return r.data;
}
