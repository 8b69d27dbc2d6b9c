-- Issue 14 at 10M excerpts / 10M decisions: indexes that serve the excerpt search's and the dashboard
-- drill-down's "newest first" pages directly, and an hourly count of arrivals for the team report.

-- 1. Search by category or "unlabelled", newest first: (workspace_id, current_category_id) matched a
--    category's rows but not their order, so a page sorted all of them (1.4 s for one category at 10M).
--    With id as the last key the page is the index's first 51 entries. It replaces the shorter index
--    (a prefix of it, so every query that used that one can use this).
CREATE INDEX "excerpt_workspace_id_current_category_id_id_idx" ON "excerpt" ("workspace_id", "current_category_id", "id");
DROP INDEX "excerpt_workspace_id_current_category_id_idx";

-- 2. Dashboard drill-down (the excerpts behind one confusion-matrix cell, newest first): it read every label
--    decision of the workspace with that pair of categories and sorted them (4 s at 10M). Partial on labels
--    (the only kind the drill-down and the rollups count), ordered as the page is.
CREATE INDEX "decision_label_cell_idx" ON "decision" ("workspace_id", "suggested_category_id", "category_id", "created_at" DESC, "id" DESC)
  WHERE "kind" = 'label';

-- 3. Excerpts added per hour, for the team report's "arrived in the last 24 h" (it counted the excerpt
--    index's entries of the last day: 1 s after a 1M-row import). Kept by statement-level triggers with
--    transition tables, as queue_open_count is: an import chunk adds one row per hour it touches, not one
--    per excerpt. Slots by backend keep concurrent writers off one hot row.
CREATE TABLE "excerpt_added_hourly" (
    "workspace_id" INTEGER NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "slot" SMALLINT NOT NULL,
    "n" BIGINT NOT NULL,
    CONSTRAINT "excerpt_added_hourly_pkey" PRIMARY KEY ("workspace_id", "hour", "slot")
);
-- no foreign key to workspace, as queue_open_count: a workspace's delete cascades into excerpt, whose delete
-- trigger then writes here

INSERT INTO "excerpt_added_hourly" ("workspace_id", "hour", "slot", "n")
SELECT "workspace_id", date_trunc('hour', "created_at" AT TIME ZONE 'UTC'), 0, count(*) FROM "excerpt"
WHERE "created_at" >= now() - interval '2 days' GROUP BY 1, 2;

CREATE FUNCTION "excerpt_added_hourly_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "excerpt_added_hourly" AS c ("workspace_id", "hour", "slot", "n")
    SELECT "workspace_id", date_trunc('hour', "created_at" AT TIME ZONE 'UTC'), (pg_backend_pid() % 16)::smallint, count(*)
    FROM "new_rows" GROUP BY 1, 2
    ON CONFLICT ("workspace_id", "hour", "slot") DO UPDATE SET "n" = c."n" + excluded."n";
  ELSE
    INSERT INTO "excerpt_added_hourly" AS c ("workspace_id", "hour", "slot", "n")
    SELECT "workspace_id", date_trunc('hour', "created_at" AT TIME ZONE 'UTC'), (pg_backend_pid() % 16)::smallint, -count(*)
    FROM "old_rows" WHERE "created_at" >= now() - interval '2 days' GROUP BY 1, 2
    ON CONFLICT ("workspace_id", "hour", "slot") DO UPDATE SET "n" = c."n" + excluded."n";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "excerpt_added_hourly_insert" AFTER INSERT ON "excerpt"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "excerpt_added_hourly_add"();
CREATE TRIGGER "excerpt_added_hourly_delete" AFTER DELETE ON "excerpt"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "excerpt_added_hourly_add"();
CREATE FUNCTION "excerpt_added_hourly_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "excerpt_added_hourly";
  RETURN NULL;
END $$;
CREATE TRIGGER "excerpt_added_hourly_truncate" AFTER TRUNCATE ON "excerpt"
  FOR EACH STATEMENT EXECUTE FUNCTION "excerpt_added_hourly_clear"();
