-- CreateTable
CREATE TABLE "dataset_snapshot" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "created_by_id" INTEGER,
    "name" TEXT NOT NULL DEFAULT '',
    "params" JSONB NOT NULL,
    "taxonomy" JSONB NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "phase" TEXT NOT NULL DEFAULT '',
    "row_count" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "files" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),
    CONSTRAINT "dataset_snapshot_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "export_log" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "user_id" INTEGER,
    "snapshot_id" INTEGER,
    "action" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "export_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dataset_snapshot_workspace_id_created_at_idx" ON "dataset_snapshot"("workspace_id", "created_at");
CREATE INDEX "export_log_workspace_id_created_at_idx" ON "export_log"("workspace_id", "created_at");
CREATE INDEX "export_log_snapshot_id_idx" ON "export_log"("snapshot_id");

-- Beyond what Prisma's schema language can express (kept here on purpose):

-- The export log is an audit trail: rows are never changed or removed.
CREATE FUNCTION "export_log_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'export_log rows are append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER "export_log_append_only" BEFORE UPDATE OR DELETE ON "export_log"
  FOR EACH ROW EXECUTE FUNCTION "export_log_is_append_only"();
