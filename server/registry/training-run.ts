import { describeAutoRun } from "@/lib/registry/auto-retrain.ts";
import type { TTrainingRunStatus, TTrainingRun } from "@/lib/registry/contract.ts";

// an automatic run is labelled with the new labels that triggered it; runs from before that was
// recorded fall back to the workspace's setting now (retrain_every)
export const TRAINING_RUN_SELECT = `SELECT r.id, r.status, r.message, r.model_version_id, u.name AS requested_by, r.is_auto, r.new_labels, w.retrain_every,
       r.created_at, r.started_at, r.finished_at
  FROM training_run r JOIN workspace w ON w.id = r.workspace_id LEFT JOIN app_user u ON u.id = r.requested_by_id`;

export type TTrainingRunRow = {
  id: number;
  status: TTrainingRunStatus;
  message: string;
  model_version_id: number | null;
  requested_by: string | null;
  is_auto: boolean;
  new_labels: number | null;
  retrain_every: number | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

export function toTrainingRun(r: TTrainingRunRow): TTrainingRun {
  return {
    id: r.id,
    status: r.status,
    message: r.message,
    modelVersionId: r.model_version_id,
    requestedBy: r.requested_by,
    isAuto: r.is_auto,
    requestedByLabel: r.is_auto ? describeAutoRun(r.new_labels ?? r.retrain_every) : r.requested_by,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}
