-- Scores that mean what they say, labels that can be trusted (issue 16): out-of-fold probabilities per
-- trained version, the re-review queue of likely label errors, the 'rereview' decision origin, and who set
-- the workspace's flag threshold.

-- AlterEnum (the new value is not used in this transaction: PostgreSQL allows that only after commit)
ALTER TYPE "DecisionOrigin" ADD VALUE 'rereview';

-- AlterTable: a threshold other than the old 0.5 default was set by someone; keep it theirs.
ALTER TABLE "workspace" ADD COLUMN "flag_threshold_source" TEXT NOT NULL DEFAULT 'default';
UPDATE "workspace" SET "flag_threshold_source" = 'admin' WHERE "flag_threshold" <> 0.5;
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_flag_threshold_source_check"
  CHECK ("flag_threshold_source" IN ('default', 'model', 'admin'));

-- CreateTable
CREATE TABLE "model_out_of_fold" (
    "model_version_id" INTEGER NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "excerpt_ids" BIGINT[],
    "category_ids" INTEGER[],
    "folds" INTEGER[],
    "log_probs" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "model_out_of_fold_pkey" PRIMARY KEY ("model_version_id")
);

-- CreateIndex
CREATE INDEX "model_out_of_fold_workspace_id_idx" ON "model_out_of_fold"("workspace_id");

-- CreateTable
CREATE TABLE "label_suspect" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "excerpt_id" BIGINT NOT NULL,
    "model_version_id" INTEGER NOT NULL,
    "category_id" INTEGER NOT NULL,
    "label_decision_id" BIGINT,
    "labelled_by_id" INTEGER,
    "suggested_category_id" INTEGER NOT NULL,
    "probs" REAL[],
    "quality" REAL NOT NULL,
    "peer_excerpt_ids" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
    "status" TEXT NOT NULL DEFAULT 'open',
    "leased_by_id" INTEGER,
    "lease_expires_at" TIMESTAMPTZ(6),
    "resolved_by_id" INTEGER,
    "resolved_at" TIMESTAMPTZ(6),
    "decision_id" BIGINT,
    "is_corrected" BOOLEAN,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "label_suspect_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "label_suspect_workspace_id_status_quality_idx" ON "label_suspect"("workspace_id", "status", "quality");

-- Beyond what Prisma's schema language can express (kept here on purpose):

-- Deleting a version or a workspace takes its out-of-fold rows and suspects with it.
ALTER TABLE "model_out_of_fold" ADD CONSTRAINT "model_out_of_fold_model_version_id_fkey"
  FOREIGN KEY ("model_version_id") REFERENCES "model_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "label_suspect" ADD CONSTRAINT "label_suspect_workspace_id_fkey"
  FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "label_suspect" ADD CONSTRAINT "label_suspect_excerpt_id_fkey"
  FOREIGN KEY ("excerpt_id") REFERENCES "excerpt"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "label_suspect" ADD CONSTRAINT "label_suspect_model_version_id_fkey"
  FOREIGN KEY ("model_version_id") REFERENCES "model_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "label_suspect" ADD CONSTRAINT "label_suspect_status_check" CHECK ("status" IN ('open', 'resolved', 'superseded'));

-- At most one open suspect per excerpt: a later detection updates it instead of queueing it twice.
CREATE UNIQUE INDEX "label_suspect_one_open_idx" ON "label_suspect"("excerpt_id") WHERE "status" = 'open';
-- The corrections report reads settled re-reviews by date.
CREATE INDEX "label_suspect_resolved_idx" ON "label_suspect"("workspace_id", "resolved_at") WHERE "status" = 'resolved';
