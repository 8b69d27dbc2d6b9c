-- An automatic run remembers how many new human labels triggered it, so the registry's "automatic, after
-- N new labels" stays true when an admin later changes workspace.retrain_every. NULL for runs requested
-- by a person, and for automatic runs from before this column (the registry falls back to the setting).
ALTER TABLE "training_run" ADD COLUMN "new_labels" INTEGER;
