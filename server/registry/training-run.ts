/** A training run as the registry shows it. */
export type TTrainingRunStatus = "queued" | "training" | "evaluating" | "done" | "failed";

export type TTrainingRun = {
  id: number;
  status: TTrainingRunStatus;
  message: string;
  modelVersionId: number | null;
  requestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export const TRAINING_RUN_SELECT = `SELECT r.id, r.status, r.message, r.model_version_id, u.name AS requested_by, r.created_at, r.started_at, r.finished_at
  FROM training_run r LEFT JOIN app_user u ON u.id = r.requested_by_id`;

export type TTrainingRunRow = {
  id: number;
  status: TTrainingRunStatus;
  message: string;
  model_version_id: number | null;
  requested_by: string | null;
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
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}
