-- The review queue's default ordering, re-chosen on validation data (bench/active-learning-tune.ts,
-- results in bench/results/active-learning-tuning.json): margin uncertainty, no flagged tier, and the
-- head of the queue spaced so near-duplicates do not fill a labelling round. New workspaces get that;
-- existing workspaces keep the order their moderators know until an admin changes it in Admin → Settings.

-- AlterTable: existing rows get true (the flagged tier they had), new rows false. Constant defaults:
-- no table rewrite.
ALTER TABLE "workspace" ADD COLUMN "flagged_first" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "workspace" ALTER COLUMN "flagged_first" SET DEFAULT false;

-- AlterTable: cosine similarity at and above which a lower-ranked queue item counts as a near-duplicate
-- of a higher one and is served after the others (server/queue/space-queue-head.ts). NULL: no spacing,
-- which is what existing workspaces had; new workspaces start at 0.7 (the validation choice).
ALTER TABLE "workspace" ADD COLUMN "max_similarity" DOUBLE PRECISION;
ALTER TABLE "workspace" ALTER COLUMN "max_similarity" SET DEFAULT 0.7;
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_max_similarity_check" CHECK ("max_similarity" IS NULL OR ("max_similarity" > 0 AND "max_similarity" <= 1));

-- AlterTable
ALTER TABLE "workspace" ALTER COLUMN "rank_strategy" SET DEFAULT 'margin';
