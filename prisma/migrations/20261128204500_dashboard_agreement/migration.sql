-- Backlog size and age are read from open queue items in excerpt-id (= arrival) order.
CREATE INDEX "queue_item_open_age_idx" ON "queue_item" ("workspace_id", "excerpt_id") WHERE "is_open";

-- Inter-annotator agreement: each moderator's standing label on every excerpt that at least two
-- moderators labelled (deliberate overlap, late conflicts, reviews). Reversed labels do not count;
-- a moderator who relabelled the same excerpt counts once, with their latest label.
CREATE MATERIALIZED VIEW "dash_multi_rated" AS
WITH standing AS (
  SELECT DISTINCT ON (d."excerpt_id", d."user_id")
         d."workspace_id", d."excerpt_id", d."user_id", d."category_id", d."created_at"
  FROM "decision" d
  WHERE d."kind" = 'label'
    AND d."origin" IN ('queue', 'review')
    AND NOT EXISTS (SELECT 1 FROM "decision" r WHERE r."reverses_id" = d."id")
  ORDER BY d."excerpt_id", d."user_id", d."id" DESC
)
SELECT s."workspace_id", s."excerpt_id", s."user_id", s."category_id",
       (s."created_at" AT TIME ZONE 'UTC')::date AS "day",
       e."game", e."channel", e."source"
FROM standing s
JOIN "excerpt" e ON e."id" = s."excerpt_id"
WHERE s."excerpt_id" IN (SELECT "excerpt_id" FROM standing GROUP BY "excerpt_id" HAVING count(*) >= 2);
CREATE UNIQUE INDEX "dash_multi_rated_key" ON "dash_multi_rated" ("excerpt_id", "user_id");
CREATE INDEX "dash_multi_rated_workspace_idx" ON "dash_multi_rated" ("workspace_id", "day");
