-- Issue 13, item 1: a retried request (its response lost after the commit) must not be applied twice.
-- The client sends an Idempotency-Key per keypress; the primary key makes the database refuse a second
-- row for it, and the row holds the first answer, which every retry gets back. The key row is inserted
-- in the same transaction as the request's writes, so a concurrent duplicate waits on the first one's
-- unique-index entry and then reads its committed answer (or, if the first rolled back, runs itself).
CREATE TABLE "idempotent_request" (
    "user_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "idempotent_request_pkey" PRIMARY KEY ("user_id", "key")
);
ALTER TABLE "idempotent_request" ADD CONSTRAINT "idempotent_request_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "idempotent_request" ADD CONSTRAINT "idempotent_request_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- the sweep deletes keys older than a day by this index
CREATE INDEX "idempotent_request_created_at_idx" ON "idempotent_request"("created_at");
