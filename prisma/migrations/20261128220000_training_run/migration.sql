-- CreateTable
CREATE TABLE "training_run" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "requested_by_id" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "message" TEXT NOT NULL DEFAULT '',
    "model_version_id" INTEGER,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),
    CONSTRAINT "training_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "training_run_workspace_id_created_at_idx" ON "training_run"("workspace_id", "created_at");

-- Beyond what Prisma's schema language can express (kept here on purpose):

-- One unfinished training per workspace: a second "Train new version" click joins the running one.
CREATE UNIQUE INDEX "training_run_one_unfinished_idx" ON "training_run"("workspace_id") WHERE "status" IN ('queued', 'training', 'evaluating');
