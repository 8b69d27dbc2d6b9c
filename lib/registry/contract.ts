import type { TPromotionCheck } from "../evaluation/contract.ts";
import type { TVersionMetrics } from "../evaluation/index.ts";

export type TRegisteredModel = { id: number; version: string; kind: string; categoryIds: number[] };

/** A training run as the registry shows it. */
export type TTrainingRunStatus = "queued" | "training" | "evaluating" | "done" | "failed";

export type TTrainingRun = {
  id: number;
  status: TTrainingRunStatus;
  message: string;
  modelVersionId: number | null;
  requestedBy: string | null;
  /** requested by the worker's sweep after new labels, not by a person */
  isAuto: boolean;
  /** who or what asked for it: the person's name, "automatic, after 200 new labels", or null (CLI without --user) */
  requestedByLabel: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export type TModelVersionSummary = {
  id: number;
  version: string;
  kind: string;
  status: "candidate" | "active" | "shadow" | "archived";
  createdAt: string;
  promotedAt: string | null;
  trainedBy: string | null;
  /** trained by an automatic run (the worker, after new labels) */
  isAutoTrained: boolean;
  /** what it was trained on and how (manifest.training) */
  training: { baseModel: string; dataset: string; examples: number; params: Record<string, unknown> } | null;
  categoryIds: number[];
  /** how its probabilities are calibrated and the ECE before/after, as training measured it (manifest.calibration); null: none stored */
  calibration: {
    method: string;
    fittedOn: string;
    examples: number;
    before: { ece: number | null; nll: number | null; brierBinary: number | null };
    after: { ece: number | null; nll: number | null; brierBinary: number | null };
  } | null;
  metrics: TVersionMetrics;
  /** its stored evaluation was computed on a gold set that has changed since */
  isEvaluationStale: boolean;
};

export type TModelRegistry = {
  versions: TModelVersionSummary[];
  activeModelVersionId: number | null;
  /** the archived version a rollback would bring back */
  rollbackTargetId: number | null;
  flagThreshold: number;
  goldSet: { n: number; heldOut: number; audit: number; sha256: string };
  runs: TTrainingRun[];
  categories: { id: number; name: string; color: string; isNonToxic: boolean; isActive: boolean }[];
};

export type TPromoteModelVersionResult = { modelVersionId: number; previousActiveId: number | null; check: TPromotionCheck | null };
