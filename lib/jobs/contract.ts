/** The background tasks whose lasting failure a workspace's users are shown. */
export const BACKGROUND_TASKS = ["score", "train", "requeue", "snapshot"] as const;
export type TBackgroundTask = (typeof BACKGROUND_TASKS)[number];

/** GET /api/w/:workspace/jobs: a task that failed for good (every retry spent), until it next succeeds. */
export type TBackgroundFailure = {
  task: TBackgroundTask;
  /** the reason, as the task's error said it */
  reason: string;
  /** failed for good this many times since it last succeeded (the sweep re-queues scoring every minute) */
  failures: number;
  firstFailedAt: string;
  failedAt: string;
};

const WHAT_FAILED: Record<TBackgroundTask, { title: string; effect: string; next: string }> = {
  score: {
    title: "Scoring new excerpts is failing",
    effect: "new excerpts get no prediction and do not enter the review queue",
    next: "Check the active model on the Models page (roll back or promote another version) and the worker's log; scoring is retried every minute.",
  },
  train: {
    title: "Training failed",
    effect: "no new model version was made",
    next: "See the training run on the Models page, fix the cause and start training again.",
  },
  requeue: {
    title: "Re-ranking the review queue is failing",
    effect: "open items keep their previous order",
    next: "Promote the active model again or change a ranking setting to retry, and check the worker's log.",
  },
  snapshot: {
    title: "A dataset snapshot failed",
    effect: "it cannot be downloaded",
    next: "See its reason on the Datasets page and create it again.",
  },
};

/** The sentence a banner shows: what failed, what that means for the user, what to do next. */
export function describeBackgroundFailure(f: Pick<TBackgroundFailure, "task" | "reason" | "failures">): { title: string; detail: string } {
  const w = WHAT_FAILED[f.task];
  const times = f.failures > 1 ? ` (${f.failures} times in a row)` : "";
  return { title: `${w.title}${times}`, detail: `${f.reason.replace(/\.$/, "")}. Until it is fixed, ${w.effect}. ${w.next}` };
}
