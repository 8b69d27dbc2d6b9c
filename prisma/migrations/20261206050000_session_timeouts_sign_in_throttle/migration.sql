-- Sessions get an idle timeout: last_seen_at is written at most once a minute by the session lookup.
-- Existing sessions count as seen now (nobody is signed out by the upgrade itself).
ALTER TABLE "session" ADD COLUMN "last_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP;
-- The sweep deletes expired sessions by this index.
CREATE INDEX "session_expires_at_idx" ON "session"("expires_at");

-- Sign-in throttling reads attempts by account, by client address and across the server, so the
-- old "email|ip" key becomes two columns. The old key's address part was the first X-Forwarded-For
-- entry, which the client chose; it is kept as it was (these rows age out within a day).
ALTER TABLE "login_attempt" ADD COLUMN "email" TEXT;
ALTER TABLE "login_attempt" ADD COLUMN "address" TEXT;
UPDATE "login_attempt"
SET "email" = regexp_replace("key", '\|[^|]*$', ''),
    "address" = substring("key" from '[^|]*$');
ALTER TABLE "login_attempt" ALTER COLUMN "email" SET NOT NULL;
ALTER TABLE "login_attempt" ALTER COLUMN "address" SET NOT NULL;
DROP INDEX "login_attempt_key_attempted_at_idx";
ALTER TABLE "login_attempt" DROP COLUMN "key";
CREATE INDEX "login_attempt_email_attempted_at_idx" ON "login_attempt"("email", "attempted_at");
CREATE INDEX "login_attempt_address_attempted_at_idx" ON "login_attempt"("address", "attempted_at");
CREATE INDEX "login_attempt_attempted_at_idx" ON "login_attempt"("attempted_at");
