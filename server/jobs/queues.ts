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
 * Restart safety (issue 13): pg-boss 10 has no heartbeat, and its `expireInSeconds` is two things at once:
 * when maintenance fails an active job whose worker died, and a timeout on the handler inside a healthy
 * worker ("handler execution exceeded …ms"). A short expiry gave quick takeover but failed every scoring,
 * training, requeue or snapshot job that needed longer than it. So the two are split:
 * - a running job renews itself every JOB_RENEW_SECONDS (renew-job.ts: it moves started_on forward);
 * - every worker fails, through pg-boss (so its retries apply), active jobs of these queues whose renewal is
 *   older than STALE_AFTER_SECONDS (fail-stale-jobs.ts, every JOB_MAINTENANCE_SECONDS): a dead worker's job is
 *   taken over within ≈ 15 + 5 + 2 + 1 s (bench/faults.ts measures worker_kill_resume_s);
 * - `expireInSeconds` is only a ceiling for a job that renews but never ends (JOB_CEILING_SECONDS).
 */
export const JOB_RENEW_SECONDS = 5;
/** how often pg-boss looks for expired jobs (its default is 120 s), and workers for stale ones */
export const JOB_MAINTENANCE_SECONDS = 5;
/** three missed renewals */
const STALE_SECONDS = 15;
/** the longest a live job may run: pg-boss's handler timeout and expiry */
export const JOB_CEILING_SECONDS = 6 * 3600;

export const QUEUE_DEFINITIONS: PgBoss.Queue[] = [
  // A scoring job works for at most SCORE_SLICE_MS and then hands the rest to a fresh job; it renews
  // itself while it works, so a crashed worker's job is taken over within seconds (one job per workspace
  // is allowed, so until then nothing of the workspace is scored).
  { name: QUEUES.score, policy: "stately", retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: JOB_CEILING_SECONDS },
  // Training the default model takes seconds, the transformer path longer: renewed while it runs.
  { name: QUEUES.train, policy: "stately", retryLimit: 2, retryDelay: 2, expireInSeconds: JOB_CEILING_SECONDS },
  { name: QUEUES.requeue, policy: "stately", retryLimit: 3, retryDelay: 2, expireInSeconds: JOB_CEILING_SECONDS },
  // One job per dataset snapshot (queued by the web request, built by a worker): renewed while it writes.
  { name: QUEUES.snapshot, policy: "standard", retryLimit: 2, retryDelay: 2, expireInSeconds: JOB_CEILING_SECONDS },
  // One sweep at a time across all machines; a missed minute is harmless.
  { name: QUEUES.sweep, policy: "stately", retryLimit: 0, expireInSeconds: 120 },
  // One job per webhook delivery; retries and their backoff are set per job (server/webhooks/webhook-settings.ts).
  { name: QUEUES.webhook, policy: "standard", retryLimit: 12, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
];

/**
 * Queues whose handlers renew their jobs, and how old a renewal may get before the job counts as its worker's
 * death. Fitting keeps the event loop busy in slices, so training gets twice the margin.
 */
export const STALE_AFTER_SECONDS: Readonly<Record<string, number>> = {
  [QUEUES.score]: STALE_SECONDS,
  [QUEUES.requeue]: STALE_SECONDS,
  [QUEUES.snapshot]: STALE_SECONDS,
  [QUEUES.train]: 2 * STALE_SECONDS,
};

/** How long one scoring job keeps going before it re-enqueues the remainder. */
export const SCORE_SLICE_MS = 60_000;

/**
 * Cron for the sweep (worker.ts runSweep): re-enqueues scoring for workspaces with unscored excerpts
 * and requests automatic retrains that are due. The queue keeps its first name, "sweep-scoring".
 */
export const SWEEP_CRON = "* * * * *";

export const workspaceKey = (workspaceId: number) => `ws:${workspaceId}`;
