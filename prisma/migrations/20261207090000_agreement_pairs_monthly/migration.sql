-- The agreement report sums dash_agreement_pairs over its date range, and a day holds a row per rater
-- pair × label pair × game × channel × source: 16,456 rows for one day of 45,000 decisions by 50 moderators
-- (bench/scale.ts), so a month of such days is ~500,000 rows to sum and a year ~6M. The same counts by
-- calendar month (the day's first of the month), kept by the same incremental refresh: a range reads its
-- whole months here and only its partial months' days from the daily table (server/dashboard/get-agreement.ts).
CREATE TABLE "dash_agreement_pairs_monthly" (
    "workspace_id" INTEGER NOT NULL,
    "month" DATE NOT NULL,
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
CREATE UNIQUE INDEX "dash_agreement_pairs_monthly_key" ON "dash_agreement_pairs_monthly"
  ("workspace_id", "month", "game", "channel", "source", "rater_a", "rater_b", "label_a", "label_b") NULLS NOT DISTINCT;

INSERT INTO "dash_agreement_pairs_monthly" (workspace_id, month, game, channel, source, rater_a, rater_b, label_a, label_b, n, w)
SELECT workspace_id, date_trunc('month', day)::date, game, channel, source, rater_a, rater_b, label_a, label_b, sum(n)::int, sum(w)
FROM "dash_agreement_pairs"
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
