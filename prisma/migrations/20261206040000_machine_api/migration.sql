-- The machine API (issue 11): API keys, live-traffic routing, Perspective attribute names, webhooks with
-- an outbox captured in the same transaction as the change it reports, and user reports.

-- AlterTable: how live traffic (POST /api/v1/classify, comments:analyze) enters the review queue
-- (lib/ranking/route.ts). Constant defaults: no table rewrite.
ALTER TABLE "workspace" ADD COLUMN "route_flagged" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "workspace" ADD COLUMN "route_uncertain_margin" DOUBLE PRECISION DEFAULT 0.1;
ALTER TABLE "workspace" ADD COLUMN "route_audit_share" DOUBLE PRECISION NOT NULL DEFAULT 0.01;
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_route_uncertain_margin_check" CHECK ("route_uncertain_margin" IS NULL OR ("route_uncertain_margin" > 0 AND "route_uncertain_margin" <= 1));
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_route_audit_share_check" CHECK ("route_audit_share" >= 0 AND "route_audit_share" <= 1);

-- AlterTable: the key that sent a live excerpt (NULL for imports). No foreign key: keys are revoked, never
-- deleted, and the column only says "live traffic, route it" to the scorer and requeue. Nullable without a
-- default: no table rewrite.
ALTER TABLE "excerpt" ADD COLUMN "api_key_id" INTEGER;

-- AlterTable: the Perspective attribute a category answers under; NULL = matched by name.
ALTER TABLE "category" ADD COLUMN "api_attribute" TEXT;
ALTER TABLE "category" ADD CONSTRAINT "category_api_attribute_check" CHECK ("api_attribute" IS NULL OR ("api_attribute" ~ '^[A-Z][A-Z0-9_]{0,63}$' AND "api_attribute" <> 'TOXICITY'));
CREATE UNIQUE INDEX "category_workspace_id_api_attribute_key" ON "category"("workspace_id", "api_attribute") WHERE "api_attribute" IS NOT NULL;

-- CreateTable
CREATE TABLE "api_key" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" TEXT[] DEFAULT ARRAY['classify', 'ingest']::TEXT[],
    "rate_limit_per_minute" INTEGER,
    "expires_at" TIMESTAMPTZ(6),
    "last_used_at" TIMESTAMPTZ(6),
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(6),
    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "api_key_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
    CONSTRAINT "api_key_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL,
    CONSTRAINT "api_key_scopes_check" CHECK (cardinality("scopes") > 0 AND "scopes" <@ ARRAY['classify', 'ingest', 'decisions:read']::TEXT[]),
    CONSTRAINT "api_key_rate_limit_check" CHECK ("rate_limit_per_minute" IS NULL OR "rate_limit_per_minute" > 0),
    CONSTRAINT "api_key_name_check" CHECK (length("name") BETWEEN 1 AND 100)
);
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");
CREATE INDEX "api_key_workspace_id_created_at_idx" ON "api_key"("workspace_id", "created_at");

CREATE TABLE "webhook" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" TEXT[],
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
    CONSTRAINT "webhook_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL,
    CONSTRAINT "webhook_events_check" CHECK (cardinality("events") > 0 AND "events" <@ ARRAY['decision.final', 'excerpt.flagged', 'model.promoted']::TEXT[])
);
CREATE INDEX "webhook_workspace_id_idx" ON "webhook"("workspace_id");

CREATE TABLE "webhook_event" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatched_at" TIMESTAMPTZ(6),
    CONSTRAINT "webhook_event_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_event_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
    CONSTRAINT "webhook_event_type_check" CHECK ("type" IN ('decision.final', 'excerpt.flagged', 'model.promoted'))
);
CREATE INDEX "webhook_event_workspace_id_created_at_idx" ON "webhook_event"("workspace_id", "created_at");
-- what the dispatcher polls: stays as small as the backlog
CREATE INDEX "webhook_event_undispatched_idx" ON "webhook_event"("id") WHERE "dispatched_at" IS NULL;

CREATE TABLE "webhook_delivery" (
    "id" BIGSERIAL NOT NULL,
    "webhook_id" INTEGER NOT NULL,
    "event_id" BIGINT NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "response_status" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_attempt_at" TIMESTAMPTZ(6),
    "delivered_at" TIMESTAMPTZ(6),
    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_delivery_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhook"("id") ON DELETE CASCADE,
    CONSTRAINT "webhook_delivery_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "webhook_event"("id") ON DELETE CASCADE,
    CONSTRAINT "webhook_delivery_status_check" CHECK ("status" IN ('pending', 'delivered', 'failed', 'cancelled'))
);
-- one delivery per webhook and event: a dispatcher that runs twice creates nothing twice
CREATE UNIQUE INDEX "webhook_delivery_webhook_id_event_id_key" ON "webhook_delivery"("webhook_id", "event_id");
CREATE INDEX "webhook_delivery_workspace_id_id_idx" ON "webhook_delivery"("workspace_id", "id");

CREATE TABLE "user_report" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "excerpt_id" BIGINT NOT NULL,
    "api_key_id" INTEGER,
    "scores" JSONB NOT NULL,
    "client_token" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "user_report_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "user_report_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
    CONSTRAINT "user_report_excerpt_id_fkey" FOREIGN KEY ("excerpt_id") REFERENCES "excerpt"("id") ON DELETE CASCADE,
    CONSTRAINT "user_report_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE SET NULL
);
CREATE INDEX "user_report_excerpt_id_idx" ON "user_report"("excerpt_id");
CREATE INDEX "user_report_workspace_id_created_at_idx" ON "user_report"("workspace_id", "created_at");

-- Beyond what Prisma's schema language can express (kept here on purpose):

-- Webhook events are captured by triggers, in the transaction that changes the label or the active model,
-- so no code path (queue decision, undo, adjudication, review, import relabel, re-derivation) can change
-- them without the event, and none of those files needs to know webhooks exist. An event is written only
-- while an active webhook of the workspace wants its type: without webhooks the cost is one probe of a
-- tiny table per changed label.
CREATE FUNCTION "modloop_wants_webhook_event"(ws INTEGER, event_type TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM "webhook" w WHERE w."workspace_id" = ws AND w."is_active" AND event_type = ANY (w."events"))
$$;

-- decision.final: the label the excerpt now stands at (NULL after an undo of its only label).
CREATE FUNCTION "excerpt_label_webhook_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF "modloop_wants_webhook_event"(NEW."workspace_id", 'decision.final') THEN
    INSERT INTO "webhook_event" ("workspace_id", "type", "payload")
    SELECT NEW."workspace_id", 'decision.final', jsonb_build_object(
      'excerptId', NEW."id"::text,
      'externalId', NEW."external_id",
      'category', CASE WHEN c."id" IS NULL THEN NULL ELSE jsonb_build_object('id', c."id", 'name', c."name", 'isNonToxic', c."is_non_toxic") END,
      'isToxic', CASE WHEN c."id" IS NULL THEN NULL ELSE NOT c."is_non_toxic" END,
      'previousCategoryId', OLD."current_category_id",
      'game', NEW."game", 'channel', NEW."channel", 'conversationId', NEW."conversation_id", 'speakerId', NEW."speaker_id",
      'decidedAt', to_jsonb(now()))
    FROM (SELECT 1) AS one LEFT JOIN "category" c ON c."id" = NEW."current_category_id";
    PERFORM pg_notify('modloop_webhooks', '');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "excerpt_label_webhook" AFTER UPDATE OF "current_category_id" ON "excerpt"
  FOR EACH ROW WHEN (OLD."current_category_id" IS DISTINCT FROM NEW."current_category_id")
  EXECUTE FUNCTION "excerpt_label_webhook_event"();

-- model.promoted, and the machine API's caches: every API process LISTENs on modloop_serving and re-reads
-- a workspace's settings and active model when told (within milliseconds of the commit), so a promotion
-- is served without a restart.
CREATE FUNCTION "workspace_serving_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."active_model_version_id" IS DISTINCT FROM NEW."active_model_version_id"
     AND NEW."active_model_version_id" IS NOT NULL
     AND "modloop_wants_webhook_event"(NEW."id", 'model.promoted') THEN
    INSERT INTO "webhook_event" ("workspace_id", "type", "payload")
    SELECT NEW."id", 'model.promoted', jsonb_build_object(
      'modelVersionId', m."id", 'version', m."version", 'kind', m."kind",
      'previousModelVersionId', OLD."active_model_version_id", 'promotedAt', to_jsonb(now()))
    FROM "model_version" m WHERE m."id" = NEW."active_model_version_id";
    PERFORM pg_notify('modloop_webhooks', '');
  END IF;
  PERFORM pg_notify('modloop_serving', 'ws:' || NEW."id");
  RETURN NULL;
END $$;
CREATE TRIGGER "workspace_serving_change" AFTER UPDATE ON "workspace"
  FOR EACH ROW EXECUTE FUNCTION "workspace_serving_change"();

-- Taxonomy, shadow models and keys change what the API answers: tell the API processes.
CREATE FUNCTION "serving_notify_workspace"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('modloop_serving', 'ws:' || COALESCE(NEW."workspace_id", OLD."workspace_id"));
  RETURN NULL;
END $$;
CREATE TRIGGER "category_serving_change" AFTER INSERT OR UPDATE OR DELETE ON "category"
  FOR EACH ROW EXECUTE FUNCTION "serving_notify_workspace"();
CREATE TRIGGER "model_version_serving_change" AFTER UPDATE OF "status" ON "model_version"
  FOR EACH ROW EXECUTE FUNCTION "serving_notify_workspace"();

CREATE FUNCTION "api_key_serving_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('modloop_serving', 'key:' || OLD."key_hash");
  RETURN NULL;
END $$;
-- (not on last_used_at, which the API processes themselves write once a minute)
CREATE TRIGGER "api_key_serving_change" AFTER UPDATE OF "revoked_at", "expires_at", "scopes", "rate_limit_per_minute", "workspace_id", "key_hash" OR DELETE ON "api_key"
  FOR EACH ROW EXECUTE FUNCTION "api_key_serving_change"();
