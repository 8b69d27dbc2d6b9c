-- Issue 14: a moderator's "decided today" kept as a count, not recounted. The progress line after every
-- decision counted the moderator's label decisions of the day and took out the ones reversed that day: a
-- walk over all of the day's rows, so the n-th decision of a day cost O(n) (3.3 ms and 728 buffers per call
-- at ~1,200 decisions; the importing user's 10,000 imported labels made it ~25 ms), the largest CPU cost of
-- the queue at 10M excerpts. A statement trigger on decision now keeps, per workspace, user and UTC day:
--   +1 for each new label,
--   -1 for each new reversal of the same moderator's label of the same UTC day, unless that moderator had
--      already reversed it that day (exactly what the recount did: the moderator's labels of the day that
--      none of the moderator's reversals of the day undoes).
-- Written only by the moderator's own decisions (and imports), so the row is not contended between moderators.
CREATE TABLE "decided_day_count" (
    "workspace_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "n" INTEGER NOT NULL,
    CONSTRAINT "decided_day_count_pkey" PRIMARY KEY ("workspace_id", "user_id", "day")
);
-- no foreign keys, like queue_open_count: a row outliving its workspace or user is never read

CREATE FUNCTION "decided_day_count_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "decided_day_count" AS c ("workspace_id", "user_id", "day", "n")
  SELECT "workspace_id", "user_id", "day", sum("d")::int FROM (
    SELECT n."workspace_id", n."user_id", (n."created_at" AT TIME ZONE 'UTC')::date AS "day", 1 AS "d"
    FROM "new_rows" n WHERE n."kind" = 'label'
    UNION ALL
    SELECT l."workspace_id", l."user_id", (l."created_at" AT TIME ZONE 'UTC')::date, -1
    FROM "new_rows" r JOIN "decision" l ON l."id" = r."reverses_id"
    WHERE r."kind" = 'reversal' AND l."kind" = 'label' AND l."user_id" = r."user_id"
      AND (l."created_at" AT TIME ZONE 'UTC')::date = (r."created_at" AT TIME ZONE 'UTC')::date
      AND NOT EXISTS (SELECT 1 FROM "decision" e
                      WHERE e."reverses_id" = r."reverses_id" AND e."id" < r."id" AND e."kind" = 'reversal' AND e."user_id" = r."user_id"
                        AND (e."created_at" AT TIME ZONE 'UTC')::date = (r."created_at" AT TIME ZONE 'UTC')::date)
  ) x
  GROUP BY 1, 2, 3
  HAVING sum("d") <> 0
  ON CONFLICT ("workspace_id", "user_id", "day") DO UPDATE SET "n" = c."n" + excluded."n";
  RETURN NULL;
END $$;
CREATE TRIGGER "decided_day_count_insert" AFTER INSERT ON "decision"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "decided_day_count_add"();

-- the history so far, counted the same way
INSERT INTO "decided_day_count" ("workspace_id", "user_id", "day", "n")
SELECT "workspace_id", "user_id", "day", sum("d")::int FROM (
  SELECT "workspace_id", "user_id", ("created_at" AT TIME ZONE 'UTC')::date AS "day", 1 AS "d"
  FROM "decision" WHERE "kind" = 'label'
  UNION ALL
  SELECT "workspace_id", "user_id", "day", -1 FROM (
    SELECT DISTINCT l."id", l."workspace_id", l."user_id", (l."created_at" AT TIME ZONE 'UTC')::date AS "day"
    FROM "decision" r JOIN "decision" l ON l."id" = r."reverses_id"
    WHERE r."kind" = 'reversal' AND l."kind" = 'label' AND l."user_id" = r."user_id"
      AND (l."created_at" AT TIME ZONE 'UTC')::date = (r."created_at" AT TIME ZONE 'UTC')::date
  ) reversed
) x
GROUP BY 1, 2, 3
HAVING sum("d") <> 0;
