-- Issue 14: an excerpt search with a date range pages by when the line was said (occurred_at, else the
-- import time), newest first, along this index. Ordered by id, a range of September's lines at 10M
-- excerpts sat under 3.6M newer ids that the search walked past (6 s); along this index the page is the
-- range's first entries. The expression is the search's own (server/excerpts/search-excerpts.ts, SAID).
CREATE INDEX "excerpt_workspace_said_idx" ON "excerpt" ("workspace_id", (COALESCE("occurred_at", "created_at")), "id");
