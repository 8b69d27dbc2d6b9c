import type { TSnapshotCounts, TSnapshotFile, TTaxonomyEntry } from "./manifest.ts";
import type { TSnapshotParams } from "./params.ts";

/** Shapes of the datasets API (server/export ↔ components/datasets). */

export type TSnapshotStatus = "queued" | "running" | "done" | "failed";

export type TSnapshotSummary = {
  id: number;
  name: string;
  status: TSnapshotStatus;
  progress: number;
  phase: string;
  rowCount: number;
  createdAt: string;
  finishedAt: string | null;
  createdBy: { id: number; name: string; email: string } | null;
  error: string | null;
  params: TSnapshotParams;
};

export type TSnapshotDetail = TSnapshotSummary & {
  counts: TSnapshotCounts | null;
  files: TSnapshotFile[];
  taxonomy: TTaxonomyEntry[];
};
