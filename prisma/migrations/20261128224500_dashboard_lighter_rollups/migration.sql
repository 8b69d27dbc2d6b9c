-- Measured at 1M decisions (bench/dashboard.ts): the per-hour moderator rollup with game, channel,
-- source and duration bucket as dimensions barely aggregated (≈ one row per decision), so the team
-- report took 1.5 s; and agreement, computed from raw per-rater rows, took up to 50 s.
-- Team figures now come from two small rollups keyed by moderator only (they follow the date
-- range, not the community filters), and agreement from pre-counted rater-pair tables.

DROP MATERIALIZED VIEW "dash_moderator_hourly";

-- Decisions per moderator per hour (throughput, active hours, corrections).
CREATE MATERIALIZED VIEW "dash_moderator_hourly" AS
SELECT d."workspace_id",
       date_trunc('hour', d."created_at" AT TIME ZONE 'UTC') AS "hour",
       d."user_id",
       count(*)::int AS "n",
       count(*) FILTER (WHERE d."suggested_category_id" IS NOT NULL AND d."category_id" <> d."suggested_category_id")::int AS "n_corrections"
FROM "decision" d
WHERE d."kind" = 'label'
  AND d."origin" IN ('queue', 'review')
  AND NOT EXISTS (SELECT 1 FROM "decision" r WHERE r."reverses_id" = d."id")
GROUP BY 1, 2, 3;
CREATE UNIQUE INDEX "dash_moderator_hourly_key" ON "dash_moderator_hourly" ("workspace_id", "hour", "user_id");

-- Time to decide per moderator per day, as a histogram (bucket upper edges in ms below).
CREATE MATERIALIZED VIEW "dash_moderator_durations" AS
SELECT d."workspace_id",
       (d."created_at" AT TIME ZONE 'UTC')::date AS "day",
       d."user_id",
       width_bucket(coalesce(d."duration_ms", 0),
                    ARRAY[500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000, 20000, 30000, 60000]) AS "duration_bucket",
       count(*)::int AS "n"
FROM "decision" d
WHERE d."kind" = 'label'
  AND d."origin" IN ('queue', 'review')
  AND NOT EXISTS (SELECT 1 FROM "decision" r WHERE r."reverses_id" = d."id")
GROUP BY 1, 2, 3, 4;
CREATE UNIQUE INDEX "dash_moderator_durations_key" ON "dash_moderator_durations" ("workspace_id", "day", "user_id", "duration_bucket");

-- Agreement, pre-counted: for every ordered pair of moderators who labelled the same excerpt, how
-- often each (label_a, label_b) combination occurred (n), and the same weighted by 1/(m−1) where m
-- is the number of moderators on that excerpt (w) — Krippendorff's coincidence counts. Cohen's kappa
-- per pair reads n where rater_a < rater_b; alpha reads w over all ordered pairs. "day" is the day of
-- the excerpt's first standing label. Built from dash_multi_rated, so it is refreshed after it.
CREATE MATERIALIZED VIEW "dash_agreement_pairs" AS
WITH units AS (
  SELECT "excerpt_id", count(*) AS "raters", min("day") AS "day"
  FROM "dash_multi_rated" GROUP BY "excerpt_id"
)
SELECT a."workspace_id", u."day", a."game", a."channel", a."source",
       a."user_id" AS "rater_a", b."user_id" AS "rater_b",
       a."category_id" AS "label_a", b."category_id" AS "label_b",
       count(*)::int AS "n",
       sum(1.0 / (u."raters" - 1))::float8 AS "w"
FROM "dash_multi_rated" a
JOIN "dash_multi_rated" b ON b."excerpt_id" = a."excerpt_id" AND b."user_id" <> a."user_id"
JOIN units u ON u."excerpt_id" = a."excerpt_id"
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
CREATE UNIQUE INDEX "dash_agreement_pairs_key" ON "dash_agreement_pairs"
  ("workspace_id", "day", "game", "channel", "source", "rater_a", "rater_b", "label_a", "label_b") NULLS NOT DISTINCT;

-- How many multi-rated excerpts (and ratings) fall in each filter cell, on the same "day" as the pairs.
CREATE MATERIALIZED VIEW "dash_agreement_units" AS
SELECT m."workspace_id", u."day", m."game", m."channel", m."source", u."raters"::int AS "raters", count(DISTINCT m."excerpt_id")::int AS "n_units"
FROM "dash_multi_rated" m
JOIN (SELECT "excerpt_id", count(*) AS "raters", min("day") AS "day" FROM "dash_multi_rated" GROUP BY "excerpt_id") u ON u."excerpt_id" = m."excerpt_id"
GROUP BY 1, 2, 3, 4, 5, 6;
CREATE UNIQUE INDEX "dash_agreement_units_key" ON "dash_agreement_units"
  ("workspace_id", "day", "game", "channel", "source", "raters") NULLS NOT DISTINCT;
