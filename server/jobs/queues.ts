import type PgBoss from "pg-boss";

/**
 * The background queues. Each is a pg-boss queue in PostgreSQL (schema `pgboss`), so any number of
 * worker processes on any number of machines share them; nothing is held in memory.
 *
 * "stately" keyed by workspace means at most one waiting and one running job per workspace and
 * queue: a 1M-row import that calls enqueueScoring after every batch still leaves one job.
 */
export const QUEUES = {
  score: "score-excerpts",
  train: "train-model",
  requeue: "requeue-workspace",
  sweep: "sweep-scoring",
  webhook: "deliver-webhook",
} as const;

export type TQueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type TScoreJob = { workspaceId: number };
export type TTrainJob = { workspaceId: number; trainedById: number | null };
export type TRequeueJob = { workspaceId: number };
export type TWebhookJob = { deliveryId: string };

export const QUEUE_DEFINITIONS: PgBoss.Queue[] = [
  // A scoring job works for at most SCORE_SLICE_MS and then hands the rest to a fresh job, so a
  // crashed worker's job expires (and is retried) within minutes, not after a 1M-row backlog.
  { name: QUEUES.score, policy: "stately", retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
  // Training the default model takes seconds; the transformer path can take longer.
  { name: QUEUES.train, policy: "stately", retryLimit: 1, retryDelay: 30, expireInSeconds: 3600 },
  { name: QUEUES.requeue, policy: "stately", retryLimit: 3, retryDelay: 5, expireInSeconds: 600 },
  // One sweep at a time across all machines; a missed minute is harmless.
  { name: QUEUES.sweep, policy: "stately", retryLimit: 0, expireInSeconds: 120 },
  // One job per webhook delivery; retries and their backoff are set per job (server/webhooks/webhook-settings.ts).
  { name: QUEUES.webhook, policy: "standard", retryLimit: 12, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
];

/** How long one scoring job keeps going before it re-enqueues the remainder. */
export const SCORE_SLICE_MS = 60_000;

/**
 * Cron for the sweep (worker.ts runSweep): re-enqueues scoring for workspaces with unscored excerpts
 * and requests automatic retrains that are due. The queue keeps its first name, "sweep-scoring".
 */
export const SWEEP_CRON = "* * * * *";

export const workspaceKey = (workspaceId: number) => `ws:${workspaceId}`;
