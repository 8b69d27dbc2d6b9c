-- Issue 14, the scale half: the progress count and the dashboard rollups cost what changed, not the
-- size of the tables (at 1M decisions a rollup refresh was a 51 s recomputation; at 10M it would be
-- minutes, every few minutes).

-- 1. Open queue items, counted as they change. A moderator's progress line read
--    count(*) over the open part of queue_item (tens of ms at 1M, growing with the queue). Statement-level
--    triggers with transition tables add each statement's net change to a counter, so a 5,000-row import
--    chunk costs one counter update and a claim (which leaves is_open alone) none. One counter row per
--    workspace would be a hot row that every decision's transaction holds until it commits; the counter is
--    split into 16 slots picked by backend, so concurrent moderators on different connections rarely
--    meet on one. The count is exact: remaining = sum(n) over a workspace's slots.
CREATE TABLE "queue_open_count" (
    "workspace_id" INTEGER NOT NULL,
    "slot" SMALLINT NOT NULL,
    "n" BIGINT NOT NULL,
    CONSTRAINT "queue_open_count_pkey" PRIMARY KEY ("workspace_id", "slot")
);
-- no foreign key to workspace on purpose: deleting a workspace cascades into queue_item, whose delete
-- trigger then writes here for a workspace row that is already gone

INSERT INTO "queue_open_count" ("workspace_id", "slot", "n")
SELECT "workspace_id", 0, count(*) FROM "queue_item" WHERE "is_open" GROUP BY 1;

CREATE FUNCTION "queue_open_count_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "queue_open_count" AS c ("workspace_id", "slot", "n")
    SELECT "workspace_id", (pg_backend_pid() % 16)::smallint, count(*) FROM "new_rows" WHERE "is_open" GROUP BY 1
    ON CONFLICT ("workspace_id", "slot") DO UPDATE SET "n" = c."n" + excluded."n";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "queue_open_count" AS c ("workspace_id", "slot", "n")
    SELECT "workspace_id", (pg_backend_pid() % 16)::smallint, sum("d")
    FROM (SELECT "workspace_id", 1 AS "d" FROM "new_rows" WHERE "is_open"
          UNION ALL SELECT "workspace_id", -1 FROM "old_rows" WHERE "is_open") x
    GROUP BY 1 HAVING sum("d") <> 0
    ON CONFLICT ("workspace_id", "slot") DO UPDATE SET "n" = c."n" + excluded."n";
  ELSE
    INSERT INTO "queue_open_count" AS c ("workspace_id", "slot", "n")
    SELECT "workspace_id", (pg_backend_pid() % 16)::smallint, -count(*) FROM "old_rows" WHERE "is_open" GROUP BY 1
    ON CONFLICT ("workspace_id", "slot") DO UPDATE SET "n" = c."n" + excluded."n";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "queue_open_count_insert" AFTER INSERT ON "queue_item"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "queue_open_count_add"();
CREATE TRIGGER "queue_open_count_update" AFTER UPDATE ON "queue_item"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "queue_open_count_add"();
CREATE TRIGGER "queue_open_count_delete" AFTER DELETE ON "queue_item"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "queue_open_count_add"();
CREATE FUNCTION "queue_open_count_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "queue_open_count";
  RETURN NULL;
END $$;
CREATE TRIGGER "queue_open_count_truncate" AFTER TRUNCATE ON "queue_item"
  FOR EACH STATEMENT EXECUTE FUNCTION "queue_open_count_clear"();

-- 2. Dashboard rollups maintained incrementally. The materialized views become plain tables with the
--    same names and columns (the readers do not change). Every change a rollup depends on is logged in
--    the transaction that makes it: new label/reversal decisions, new predictions, and label changes of
--    excerpts (old and new category). A refresh (server/dashboard/refresh-dashboard.ts) takes the log in
--    one REPEATABLE READ snapshot, so what it consumes and what it reads agree, and adds the signed
--    difference to each rollup: its cost follows the number of logged changes, not the table sizes.
--    Decisions are append-only and a label is reversed at most once, so "standing" changes only when a
--    label or its reversal arrives. The first refresh after this migration rebuilds everything from scratch
--    (dash_refresh is emptied below), as does a manager's "rebuild" (refreshDashboard({ rebuild: true })).
DROP MATERIALIZED VIEW "dash_agreement_pairs";
DROP MATERIALIZED VIEW "dash_agreement_units";
DROP MATERIALIZED VIEW "dash_multi_rated";
DROP MATERIALIZED VIEW "dash_accuracy_daily";
DROP MATERIALIZED VIEW "dash_moderator_hourly";
DROP MATERIALIZED VIEW "dash_moderator_durations";
DROP MATERIALIZED VIEW "dash_toxicity_daily";
DELETE FROM "dash_refresh";

CREATE TABLE "dash_accuracy_daily" (
    "workspace_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "model_version_id" INTEGER NOT NULL,
    "is_audit" BOOLEAN NOT NULL,
    "game" TEXT,
    "channel" TEXT,
    "source" "ExcerptSource" NOT NULL,
    "suggested_category_id" INTEGER NOT NULL,
    "category_id" INTEGER,
    "n" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "dash_accuracy_daily_key" ON "dash_accuracy_daily"
  ("workspace_id", "day", "model_version_id", "is_audit", "game", "channel", "source", "suggested_category_id", "category_id") NULLS NOT DISTINCT;

CREATE TABLE "dash_moderator_hourly" (
    "workspace_id" INTEGER NOT NULL,
    "hour" TIMESTAMP NOT NULL,
    "user_id" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,
    "n_corrections" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "dash_moderator_hourly_key" ON "dash_moderator_hourly" ("workspace_id", "hour", "user_id");

CREATE TABLE "dash_moderator_durations" (
    "workspace_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "user_id" INTEGER NOT NULL,
    "duration_bucket" INTEGER NOT NULL,
    "n" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "dash_moderator_durations_key" ON "dash_moderator_durations" ("workspace_id", "day", "user_id", "duration_bucket");

CREATE TABLE "dash_toxicity_daily" (
    "workspace_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "model_version_id" INTEGER NOT NULL,
    "game" TEXT,
    "channel" TEXT,
    "source" "ExcerptSource" NOT NULL,
    "score_bin" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,
    "n_labelled" INTEGER NOT NULL,
    "n_confirmed_toxic" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "dash_toxicity_daily_key" ON "dash_toxicity_daily"
  ("workspace_id", "day", "model_version_id", "game", "channel", "source", "score_bin") NULLS NOT DISTINCT;

CREATE TABLE "dash_multi_rated" (
    "workspace_id" INTEGER NOT NULL,
    "excerpt_id" BIGINT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "category_id" INTEGER,
    "day" DATE NOT NULL,
    "game" TEXT,
    "channel" TEXT,
    "source" "ExcerptSource" NOT NULL
);
CREATE UNIQUE INDEX "dash_multi_rated_key" ON "dash_multi_rated" ("excerpt_id", "user_id");
CREATE INDEX "dash_multi_rated_workspace_idx" ON "dash_multi_rated" ("workspace_id", "day");

CREATE TABLE "dash_agreement_pairs" (
    "workspace_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "game" TEXT,
    "channel" TEXT,
    "source" "ExcerptSource" NOT NULL,
    "rater_a" INTEGER NOT NULL,
    "rater_b" INTEGER NOT NULL,
    "label_a" INTEGER,
    "label_b" INTEGER,
    "n" INTEGER NOT NULL,
    "w" DOUBLE PRECISION NOT NULL
);
CREATE UNIQUE INDEX "dash_agreement_pairs_key" ON "dash_agreement_pairs"
  ("workspace_id", "day", "game", "channel", "source", "rater_a", "rater_b", "label_a", "label_b") NULLS NOT DISTINCT;

CREATE TABLE "dash_agreement_units" (
    "workspace_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "game" TEXT,
    "channel" TEXT,
    "source" "ExcerptSource" NOT NULL,
    "raters" INTEGER NOT NULL,
    "n_units" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "dash_agreement_units_key" ON "dash_agreement_units"
  ("workspace_id", "day", "game", "channel", "source", "raters") NULLS NOT DISTINCT;

-- The change log. No keys or indexes: rows are only appended and, by the refresh, all taken at once.
CREATE TABLE "dash_pending_decision" ("decision_id" BIGINT NOT NULL);
CREATE TABLE "dash_pending_prediction" ("prediction_id" BIGINT NOT NULL);
CREATE TABLE "dash_pending_label" ("excerpt_id" BIGINT NOT NULL, "old_category_id" INTEGER, "new_category_id" INTEGER);

CREATE FUNCTION "dash_log_decisions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dash_pending_decision" ("decision_id") SELECT "id" FROM "new_rows" WHERE "kind" IN ('label', 'reversal');
  RETURN NULL;
END $$;
CREATE TRIGGER "dash_log_decisions" AFTER INSERT ON "decision"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "dash_log_decisions"();

CREATE FUNCTION "dash_log_predictions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dash_pending_prediction" ("prediction_id") SELECT "id" FROM "new_rows";
  RETURN NULL;
END $$;
CREATE TRIGGER "dash_log_predictions" AFTER INSERT ON "prediction"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "dash_log_predictions"();

-- A label change is logged with the category before and after: the refresh moves each of the excerpt's
-- already-counted predictions from one to the other. Changes to one excerpt are serialised by its row
-- lock, so the logged steps chain and their sum is the net change whatever order they are applied in.
CREATE FUNCTION "dash_log_label_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dash_pending_label" ("excerpt_id", "old_category_id", "new_category_id")
  SELECT n."id", o."current_category_id", n."current_category_id"
  FROM "new_rows" n JOIN "old_rows" o ON o."id" = n."id"
  WHERE o."current_category_id" IS DISTINCT FROM n."current_category_id";
  RETURN NULL;
END $$;
CREATE TRIGGER "dash_log_label_changes" AFTER UPDATE ON "excerpt"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "dash_log_label_changes"();
