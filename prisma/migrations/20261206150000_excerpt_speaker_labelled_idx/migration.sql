-- The queue card shows the speaker's most recent labelled lines (server/queue/queue-cards.ts): one
-- backward index scan per card. Partial: only labelled excerpts, so unlabelled imports and live
-- traffic (the bulk of the table) never touch it.
CREATE INDEX "excerpt_speaker_labelled_idx" ON "excerpt" ("workspace_id", "speaker_id", "id") WHERE "current_category_id" IS NOT NULL AND "speaker_id" IS NOT NULL;
