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
  snapshot: "build-snapshot",
} as const;

export type TQueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type TScoreJob = { workspaceId: number };
export type TTrainJob = { workspaceId: number; trainedById: number | null };
export type TRequeueJob = { workspaceId: number };
export type TWebhookJob = { deliveryId: string };
export type TSnapshotJob = { snapshotId: number };

/**
 * Restart safety (issue 13): a job whose worker died is failed by pg-boss's maintenance once it is past
 * its expiry, and retried on another worker. pg-boss 10 has no heartbeat, so the expiries are short and a
 * running job renews itself every JOB_RENEW_SECONDS (server/jobs/renew-job.ts) by moving its start time
 * forward: a live job never expires, a dead one is taken over within expiry + maintenance interval +
 * retry delay + polling ≈ 15 + 5 + 2 + 1 s (measured by bench/faults.ts, worker_kill_resume_s).
 */
export const JOB_RENEW_SECONDS = 5;
/** how often pg-boss looks for expired jobs (its default is 120 s) */
export const JOB_MAINTENANCE_SECONDS = 5;
/** expiry of jobs that renew themselves: three missed renewals */
const RENEWED_EXPIRY_SECONDS = 15;

export const QUEUE_DEFINITIONS: PgBoss.Queue[] = [
  // A scoring job works for at most SCORE_SLICE_MS and then hands the rest to a fresh job; it renews
  // itself while it works, so a crashed worker's job is taken over within seconds (one job per workspace
  // is allowed, so until then nothing of the workspace is scored).
  { name: QUEUES.score, policy: "stately", retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: RENEWED_EXPIRY_SECONDS },
  // Training the default model takes seconds, the transformer path longer: renewed while it runs. Fitting
  // keeps the event loop busy in slices, so it gets twice the margin before a missed renewal counts.
  { name: QUEUES.train, policy: "stately", retryLimit: 2, retryDelay: 2, expireInSeconds: 2 * RENEWED_EXPIRY_SECONDS },
  { name: QUEUES.requeue, policy: "stately", retryLimit: 3, retryDelay: 2, expireInSeconds: RENEWED_EXPIRY_SECONDS },
  // One job per dataset snapshot (queued by the web request, built by a worker): renewed while it writes.
  { name: QUEUES.snapshot, policy: "standard", retryLimit: 2, retryDelay: 2, expireInSeconds: RENEWED_EXPIRY_SECONDS },
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
