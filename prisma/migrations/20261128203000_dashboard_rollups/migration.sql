-- Dashboard rollups. The manager's dashboard reads these small pre-aggregated views instead of
-- scanning millions of decisions and predictions on every request; the worker refreshes them
-- (REFRESH … CONCURRENTLY, so readers never wait) and the page shows when they were last refreshed.

-- Undo looks decisions up by the decision they reverse.
CREATE INDEX "decision_reverses_id_idx" ON "decision" ("reverses_id") WHERE "reverses_id" IS NOT NULL;

-- Model suggestion vs moderator label, per day, model version, slice and community dimension.
-- Only label decisions that still stand (not reversed) and that had a model suggestion.
CREATE MATERIALIZED VIEW "dash_accuracy_daily" AS
SELECT d."workspace_id",
       (d."created_at" AT TIME ZONE 'UTC')::date AS "day",
       d."model_version_id",
       d."is_audit",
       e."game",
       e."channel",
       e."source",
       d."suggested_category_id",
       d."category_id",
       count(*)::int AS "n"
FROM "decision" d
JOIN "excerpt" e ON e."id" = d."excerpt_id"
WHERE d."kind" = 'label'
  AND d."suggested_category_id" IS NOT NULL
  AND d."model_version_id" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "decision" r WHERE r."reverses_id" = d."id")
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
CREATE UNIQUE INDEX "dash_accuracy_daily_key" ON "dash_accuracy_daily"
  ("workspace_id", "day", "model_version_id", "is_audit", "game", "channel", "source", "suggested_category_id", "category_id") NULLS NOT DISTINCT;

-- Moderator activity per hour. Durations are kept as a histogram (bucket upper edges in ms
-- below) so medians can be read for any filter without touching raw rows.
CREATE MATERIALIZED VIEW "dash_moderator_hourly" AS
SELECT d."workspace_id",
       date_trunc('hour', d."created_at" AT TIME ZONE 'UTC') AS "hour",
       d."user_id",
       e."game",
       e."channel",
       e."source",
       width_bucket(coalesce(d."duration_ms", 0),
                    ARRAY[500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000, 20000, 30000, 60000]) AS "duration_bucket",
       count(*)::int AS "n",
       count(*) FILTER (WHERE d."suggested_category_id" IS NOT NULL AND d."category_id" <> d."suggested_category_id")::int AS "n_corrections"
FROM "decision" d
JOIN "excerpt" e ON e."id" = d."excerpt_id"
WHERE d."kind" = 'label'
  AND d."origin" IN ('queue', 'review')
  AND NOT EXISTS (SELECT 1 FROM "decision" r WHERE r."reverses_id" = d."id")
GROUP BY 1, 2, 3, 4, 5, 6, 7;
CREATE UNIQUE INDEX "dash_moderator_hourly_key" ON "dash_moderator_hourly"
  ("workspace_id", "hour", "user_id", "game", "channel", "source", "duration_bucket") NULLS NOT DISTINCT;

-- Toxicity in the community: scored excerpts per day and model version with a 20-bin histogram
-- of the toxic score (so the flagged rate can be read for any threshold) and, among those a
-- moderator labelled, how many were confirmed toxic.
CREATE MATERIALIZED VIEW "dash_toxicity_daily" AS
SELECT e."workspace_id",
       (coalesce(e."occurred_at", e."created_at") AT TIME ZONE 'UTC')::date AS "day",
       p."model_version_id",
       e."game",
       e."channel",
       e."source",
       least(width_bucket(p."toxic_score", 0, 1, 20), 20) AS "score_bin",
       count(*)::int AS "n",
       count(*) FILTER (WHERE e."current_category_id" IS NOT NULL)::int AS "n_labelled",
       count(*) FILTER (WHERE c."is_non_toxic" = false)::int AS "n_confirmed_toxic"
FROM "prediction" p
JOIN "excerpt" e ON e."id" = p."excerpt_id"
LEFT JOIN "category" c ON c."id" = e."current_category_id"
GROUP BY 1, 2, 3, 4, 5, 6, 7;
CREATE UNIQUE INDEX "dash_toxicity_daily_key" ON "dash_toxicity_daily"
  ("workspace_id", "day", "model_version_id", "game", "channel", "source", "score_bin") NULLS NOT DISTINCT;

-- When each rollup was last refreshed (shown on the page).
CREATE TABLE "dash_refresh" (
    "name" TEXT NOT NULL,
    "refreshed_at" TIMESTAMPTZ(6) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    CONSTRAINT "dash_refresh_pkey" PRIMARY KEY ("name")
);
