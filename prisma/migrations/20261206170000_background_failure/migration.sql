-- Issue 13: a background task that fails for good (scoring, training, requeue after every retry, or its
-- worker dead on the last attempt) must be visible where the user looks, not only in the worker's log.
-- One row per workspace and task, holding the latest reason; the next run of the task that succeeds
-- deletes it. The sweep re-queues scoring every minute, so a scoring failure that persists keeps its row
-- fresh (failed_at, attempts) instead of piling up rows.
CREATE TABLE "background_failure" (
    "workspace_id" INTEGER NOT NULL,
    "task" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 1,
    "first_failed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "failed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "background_failure_pkey" PRIMARY KEY ("workspace_id", "task"),
    CONSTRAINT "background_failure_task_check" CHECK ("task" IN ('score', 'train', 'requeue', 'snapshot'))
);
ALTER TABLE "background_failure" ADD CONSTRAINT "background_failure_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
