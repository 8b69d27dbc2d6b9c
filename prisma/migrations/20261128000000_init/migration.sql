-- CreateEnum
CREATE TYPE "Role" AS ENUM ('moderator', 'data_scientist', 'manager', 'admin');
CREATE TYPE "ExcerptSource" AS ENUM ('text', 'voice');
CREATE TYPE "RankStrategy" AS ENUM ('least_confidence', 'margin', 'entropy', 'toxic_score', 'random', 'oldest');
CREATE TYPE "DecisionKind" AS ENUM ('label', 'skip', 'reversal');
CREATE TYPE "DecisionOrigin" AS ENUM ('queue', 'import', 'review');
CREATE TYPE "ModelStatus" AS ENUM ('candidate', 'active', 'shadow', 'archived');

-- CreateTable
CREATE TABLE "workspace" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "flag_threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "rank_strategy" "RankStrategy" NOT NULL DEFAULT 'least_confidence',
    "random_share" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
    "lease_seconds" INTEGER NOT NULL DEFAULT 300,
    "claim_batch_size" INTEGER NOT NULL DEFAULT 5,
    "active_model_version_id" INTEGER,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "workspace_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "app_user" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'moderator',
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "login_attempt" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "is_success" BOOLEAN NOT NULL,
    "attempted_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "login_attempt_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "category" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "color" TEXT NOT NULL DEFAULT '#64748b',
    "hotkey" INTEGER,
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "is_non_toxic" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "category_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "excerpt" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "external_id" TEXT,
    "text" TEXT NOT NULL,
    "source" "ExcerptSource" NOT NULL DEFAULT 'text',
    "game" TEXT,
    "channel" TEXT,
    "conversation_id" TEXT,
    "speaker_id" TEXT,
    "occurred_at" TIMESTAMPTZ(6),
    "import_batch_id" INTEGER,
    "current_category_id" INTEGER,
    "held_out" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "excerpt_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "import_batch" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "user_id" INTEGER,
    "filename" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "inserted_rows" INTEGER NOT NULL DEFAULT 0,
    "duplicate_rows" INTEGER NOT NULL DEFAULT 0,
    "labelled_rows" INTEGER NOT NULL DEFAULT 0,
    "error_rows" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "options" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    CONSTRAINT "import_batch_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "model_version" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" "ModelStatus" NOT NULL DEFAULT 'candidate',
    "manifest" JSONB NOT NULL,
    "onnx" BYTEA NOT NULL,
    "category_ids" INTEGER[],
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "trained_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promoted_at" TIMESTAMPTZ(6),
    CONSTRAINT "model_version_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "prediction" (
    "id" BIGSERIAL NOT NULL,
    "excerpt_id" BIGINT NOT NULL,
    "model_version_id" INTEGER NOT NULL,
    "probs" REAL[],
    "toxic_score" REAL NOT NULL,
    "suggested_category_id" INTEGER NOT NULL,
    "confidence" REAL NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "prediction_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "queue_item" (
    "excerpt_id" BIGINT NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "priority" DOUBLE PRECISION NOT NULL,
    "is_audit" BOOLEAN NOT NULL DEFAULT false,
    "is_flagged" BOOLEAN NOT NULL DEFAULT false,
    "is_open" BOOLEAN NOT NULL DEFAULT true,
    "prediction_id" BIGINT,
    "leased_by_id" INTEGER,
    "lease_expires_at" TIMESTAMPTZ(6),
    "skipped_by" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "queue_item_pkey" PRIMARY KEY ("excerpt_id")
);

CREATE TABLE "decision" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "excerpt_id" BIGINT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "kind" "DecisionKind" NOT NULL,
    "origin" "DecisionOrigin" NOT NULL DEFAULT 'queue',
    "category_id" INTEGER,
    "reverses_id" BIGINT,
    "model_version_id" INTEGER,
    "suggested_category_id" INTEGER,
    "suggested_confidence" REAL,
    "toxic_score" REAL,
    "is_audit" BOOLEAN NOT NULL DEFAULT false,
    "is_late_conflict" BOOLEAN NOT NULL DEFAULT false,
    "duration_ms" INTEGER,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "decision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workspace_slug_key" ON "workspace"("slug");
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");
CREATE INDEX "session_user_id_idx" ON "session"("user_id");
CREATE INDEX "login_attempt_key_attempted_at_idx" ON "login_attempt"("key", "attempted_at");
CREATE UNIQUE INDEX "category_workspace_id_name_key" ON "category"("workspace_id", "name");
CREATE UNIQUE INDEX "excerpt_workspace_id_dedup_key_key" ON "excerpt"("workspace_id", "dedup_key");
CREATE INDEX "excerpt_workspace_id_conversation_id_occurred_at_idx" ON "excerpt"("workspace_id", "conversation_id", "occurred_at");
CREATE INDEX "excerpt_workspace_id_created_at_idx" ON "excerpt"("workspace_id", "created_at");
CREATE INDEX "excerpt_workspace_id_current_category_id_idx" ON "excerpt"("workspace_id", "current_category_id");
CREATE UNIQUE INDEX "model_version_workspace_id_version_key" ON "model_version"("workspace_id", "version");
CREATE UNIQUE INDEX "prediction_excerpt_id_model_version_id_key" ON "prediction"("excerpt_id", "model_version_id");
CREATE INDEX "prediction_model_version_id_idx" ON "prediction"("model_version_id");
CREATE INDEX "queue_item_leased_by_id_idx" ON "queue_item"("leased_by_id");
CREATE INDEX "decision_excerpt_id_id_idx" ON "decision"("excerpt_id", "id");
CREATE INDEX "decision_user_id_created_at_idx" ON "decision"("user_id", "created_at");
CREATE INDEX "decision_workspace_id_created_at_idx" ON "decision"("workspace_id", "created_at");

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "category" ADD CONSTRAINT "category_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "excerpt" ADD CONSTRAINT "excerpt_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "import_batch" ADD CONSTRAINT "import_batch_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "import_batch" ADD CONSTRAINT "import_batch_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "model_version" ADD CONSTRAINT "model_version_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "queue_item" ADD CONSTRAINT "queue_item_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "decision" ADD CONSTRAINT "decision_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "decision" ADD CONSTRAINT "decision_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Beyond what Prisma's schema language can express (kept here on purpose):

-- The claim query walks this index top-down; it holds only open items.
CREATE INDEX "queue_item_claim_idx" ON "queue_item" ("workspace_id", "is_audit", "priority" DESC) WHERE "is_open";
-- Exactly one non-toxic class per workspace; hotkeys unique among active categories.
CREATE UNIQUE INDEX "category_one_non_toxic_idx" ON "category" ("workspace_id") WHERE "is_non_toxic";
CREATE UNIQUE INDEX "category_active_hotkey_idx" ON "category" ("workspace_id", "hotkey") WHERE "is_active" AND "hotkey" IS NOT NULL;
-- Word search over excerpt text (the 'simple' config: no stemming of slang or game terms).
CREATE INDEX "excerpt_text_search_idx" ON "excerpt" USING GIN (to_tsvector('simple', "text"));

-- Decisions are append-only: every decision a moderator made is kept, undo appends a reversal.
CREATE FUNCTION "decision_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'decision rows are append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER "decision_append_only" BEFORE UPDATE OR DELETE ON "decision"
  FOR EACH ROW EXECUTE FUNCTION "decision_is_append_only"();
