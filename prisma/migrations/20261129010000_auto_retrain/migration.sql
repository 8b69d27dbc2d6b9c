-- Automatic retrain (server/registry/request-due-retrains.ts): after every retrain_every new human labels
-- the worker's sweep trains a new version and promotes it only when it is not worse than the active one
-- on the gold set. Existing workspaces keep training by hand (NULL) until an admin turns it on in
-- Admin → Settings; new workspaces start at 200.

-- AlterTable: no default while adding, so existing rows get NULL (off); then new rows get 200.
-- Constant defaults: no table rewrite.
ALTER TABLE "workspace" ADD COLUMN "retrain_every" INTEGER;
ALTER TABLE "workspace" ALTER COLUMN "retrain_every" SET DEFAULT 200;
-- Below 50 labels a retrain learns little and would run every few minutes on a busy team.
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_retrain_every_check" CHECK ("retrain_every" IS NULL OR ("retrain_every" >= 50 AND "retrain_every" <= 100000));

-- AlterTable: requested by the sweep, not by a person (requested_by_id is NULL for those, but also for
-- `npm run train` without --user); the registry labels these runs as automatic.
ALTER TABLE "training_run" ADD COLUMN "is_auto" BOOLEAN NOT NULL DEFAULT false;
