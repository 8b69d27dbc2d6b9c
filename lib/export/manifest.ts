import { z } from "zod";
import { SPLIT_NAMES, ZSnapshotParams, type TSplitName } from "./params.ts";
import type { TExportRow } from "./row.ts";

/** One category as it was when the snapshot was taken; `index` is the label index in every file. */
export const ZTaxonomyEntry = z.object({
  id: z.number().int(),
  index: z.number().int().nonnegative(),
  name: z.string(),
  description: z.string(),
  isNonToxic: z.boolean(),
  isActive: z.boolean(),
});
export type TTaxonomyEntry = z.infer<typeof ZTaxonomyEntry>;

export const ZSnapshotCounts = z.object({
  rows: z.number().int().nonnegative(),
  bySplit: z.record(z.string(), z.number().int().nonnegative()),
  /** split → label name → rows */
  bySplitAndLabel: z.record(z.string(), z.record(z.string(), z.number().int().nonnegative())),
  disputed: z.number().int().nonnegative(),
  audit: z.number().int().nonnegative(),
  /** mean share of moderators agreeing with the resolved label */
  meanAgreement: z.number().min(0).max(1),
  /** rows by moderators voting: "1", "2", "3+" */
  byDecisionCount: z.record(z.string(), z.number().int().nonnegative()),
  modelVersions: z.array(z.string()),
  /** how rows were grouped for splitting (lib/export/split.ts) */
  grouping: z.object({ groups: z.number().int(), largestGroup: z.number().int(), hubTexts: z.number().int(), hubRows: z.number().int() }).optional(),
});
export type TSnapshotCounts = z.infer<typeof ZSnapshotCounts>;

export const ZSnapshotFile = z.object({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string().length(64) });
export type TSnapshotFile = z.infer<typeof ZSnapshotFile>;

/** manifest.json: the only file that carries the snapshot's id and creation time. */
export const ZSnapshotManifest = z.object({
  schemaVersion: z.literal(1),
  snapshotId: z.number().int(),
  workspace: z.object({ id: z.number().int(), slug: z.string() }),
  createdAt: z.string(),
  createdBy: z.object({ id: z.number().int(), email: z.string() }).nullable(),
  params: ZSnapshotParams,
  taxonomy: z.array(ZTaxonomyEntry),
  labelNames: z.array(z.string()),
  counts: ZSnapshotCounts,
  files: z.array(ZSnapshotFile),
});
export type TSnapshotManifest = z.infer<typeof ZSnapshotManifest>;

/** Accumulates the counts of a snapshot row by row (constant memory). */
export class CountsAccumulator {
  private rows = 0;
  private disputed = 0;
  private audit = 0;
  private agreementSum = 0;
  private readonly bySplit = new Map<TSplitName, number>();
  private readonly bySplitAndLabel = new Map<string, number>();
  private readonly byDecisionCount = new Map<string, number>();
  private readonly modelVersions = new Set<string>();

  add(row: TExportRow): void {
    this.addStats(row);
    this.addSplit(row.split, row.label);
  }

  /** The split-independent figures of a row (counted before the split plan exists). */
  addStats(row: Omit<TExportRow, "split">): void {
    this.rows++;
    if (row.isDisputed) this.disputed++;
    if (row.isAudit) this.audit++;
    this.agreementSum += row.agreement;
    const dc = row.decisionCount >= 3 ? "3+" : String(row.decisionCount);
    this.byDecisionCount.set(dc, (this.byDecisionCount.get(dc) ?? 0) + 1);
    if (row.modelVersion) this.modelVersions.add(row.modelVersion);
  }

  addSplit(split: TSplitName, label: string, rows = 1): void {
    this.bySplit.set(split, (this.bySplit.get(split) ?? 0) + rows);
    const key = `${split}\u0000${label}`;
    this.bySplitAndLabel.set(key, (this.bySplitAndLabel.get(key) ?? 0) + rows);
  }

  /** Counts with every split and label present (zeros included) in a fixed order. */
  result(labelNames: readonly string[], splits: readonly TSplitName[], grouping?: TSnapshotCounts["grouping"]): TSnapshotCounts {
    const bySplit: Record<string, number> = {};
    const bySplitAndLabel: Record<string, Record<string, number>> = {};
    for (const s of SPLIT_NAMES) {
      // a split outside the plan still shows up if rows were forced into it (held-out test rows)
      if (!splits.includes(s) && !this.bySplit.get(s)) continue;
      bySplit[s] = this.bySplit.get(s) ?? 0;
      bySplitAndLabel[s] = {};
      for (const l of labelNames) bySplitAndLabel[s][l] = this.bySplitAndLabel.get(`${s}\u0000${l}`) ?? 0;
    }
    const byDecisionCount: Record<string, number> = {};
    for (const k of ["1", "2", "3+"]) byDecisionCount[k] = this.byDecisionCount.get(k) ?? 0;
    return {
      rows: this.rows,
      bySplit,
      bySplitAndLabel,
      disputed: this.disputed,
      audit: this.audit,
      meanAgreement: this.rows === 0 ? 0 : Math.round((this.agreementSum / this.rows) * 1e6) / 1e6,
      byDecisionCount,
      modelVersions: [...this.modelVersions].sort(),
      ...(grouping ? { grouping } : {}),
    };
  }
}

/** The splits a snapshot with these parameters can contain, in file order. */
export function splitsFor(params: { split: { validation: number; test: number }; goldSplit: boolean }): TSplitName[] {
  return SPLIT_NAMES.filter(
    (s) =>
      s === "train" || (s === "validation" && params.split.validation > 0) || (s === "test" && params.split.test > 0) || (s === "gold" && params.goldSplit),
  );
}
