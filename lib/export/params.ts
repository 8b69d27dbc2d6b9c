import { z } from "zod";

/**
 * What a snapshot is made from. Stored verbatim on the snapshot (and in its manifest and dataset card),
 * so the same parameters against the same data reproduce byte-identical files.
 */

export const SPLIT_NAMES = ["train", "validation", "test", "gold"] as const;
export type TSplitName = (typeof SPLIT_NAMES)[number];

export const EXPORT_FORMATS = ["jsonl", "csv", "parquet", "hf"] as const;
export type TExportFormat = (typeof EXPORT_FORMATS)[number];

export const LABEL_RULES = ["latest", "majority"] as const;
export type TLabelRule = (typeof LABEL_RULES)[number];

const ZIsoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const ZSplitRatios = z
  .object({
    train: z.number().min(0).max(1).default(0.8),
    validation: z.number().min(0).max(1).default(0),
    test: z.number().min(0).max(1).default(0.2),
  })
  .refine((r) => Math.abs(r.train + r.validation + r.test - 1) < 1e-9, {
    message: "train + validation + test must add up to 1 (e.g. 0.8 / 0.1 / 0.1)",
  })
  .refine((r) => r.train > 0, { message: "train must be above 0" });

export const ZSnapshotParams = z.object({
  /** free text shown in the list; not part of the data */
  name: z.string().max(200).default(""),
  filters: z
    .object({
      /** on the excerpt's time (occurred_at, else created_at), inclusive from, exclusive to */
      from: ZIsoDate.optional(),
      to: ZIsoDate.optional(),
      sources: z.array(z.enum(["text", "voice"])).optional(),
      games: z.array(z.string().min(1)).optional(),
      channels: z.array(z.string().min(1)).optional(),
      /** keep rows whose resolved label is one of these category ids */
      categoryIds: z.array(z.number().int().positive()).optional(),
      /** only decisions by these moderators count when resolving labels */
      moderatorIds: z.array(z.number().int().positive()).optional(),
      /** keep rows whose resolved label has at least this many agreeing moderators */
      minAgreeing: z.number().int().min(1).default(1),
      includeDisputed: z.boolean().default(false),
    })
    .prefault({}),
  labelRule: z.enum(LABEL_RULES).default("latest"),
  split: ZSplitRatios.prefault({}),
  /**
   * export the gold set as its own never-trained-on "gold" split: the random audit slice and the rows
   * imported as held-out test data, exactly the set the app evaluates models on (lib/evaluation).
   * Without it, held-out rows go to "test" and audit rows are split like any other.
   */
  goldSplit: z.boolean().default(false),
  /**
   * A normalised text seen in more conversations than this ("gg ez") keeps all its copies in one split
   * but does not merge those conversations into one group; null = strict (merge everything transitively).
   */
  maxConversationsPerText: z.number().int().min(1).nullable().default(20),
  /** changes every split assignment; keep the default to stay comparable with earlier snapshots */
  seed: z.string().min(1).max(100).default("modloop"),
  formats: z
    .array(z.enum(EXPORT_FORMATS))
    .min(1)
    .default(["jsonl", "csv", "parquet", "hf"])
    // order and duplicates must not change what a snapshot is
    .transform((f) => EXPORT_FORMATS.filter((x) => f.includes(x))),
});

export type TSnapshotParams = z.infer<typeof ZSnapshotParams>;
export type TSnapshotParamsInput = z.input<typeof ZSnapshotParams>;

/** Parses parameters and turns zod issues into one message that says what to fix. */
export function parseSnapshotParams(raw: unknown): TSnapshotParams {
  const r = ZSnapshotParams.safeParse(raw ?? {});
  if (!r.success) {
    throw new Error(`Invalid snapshot parameters: ${r.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}`);
  }
  return r.data;
}
