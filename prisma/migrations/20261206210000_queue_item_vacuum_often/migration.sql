-- Issue 14: the review queue is vacuumed every 10,000 changed rows, not at autovacuum's default 20% of the
-- table. Claims walk queue_item_claim_idx from the highest priority down, which is exactly where decided
-- items leave the open set: every closed item leaves a dead entry at the top of the index that each claim
-- steps over until a vacuum removes it. At 9M queue rows the default threshold (~1.8M changes) would never
-- come in a day; on the 10M bench database, after ~100,000 dead rows, a VACUUM (1.7 s) took the claim's
-- median from 7-12 ms to 5-6 ms and its steady p95 from 22-53 ms to 15-19 ms with 50 moderators.
ALTER TABLE "queue_item" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);
