-- Leases as HOT updates. The claim walks queue_item_claim_idx from the top; every claim and skip used to
-- write a new index entry for the row (leased_by_id was indexed, so no lease update could be HOT), and
-- the top leaf pages changed so often that scans could never mark the dead entries as dead: each claim
-- re-read every item ever decided (measured: ~11,000 heap visits to find 5 rows after 6,000 decisions).
-- Without an index on leased_by_id and with room on each page, a lease update stays on its page and
-- touches no index.
DROP INDEX "queue_item_leased_by_id_idx";
ALTER TABLE "queue_item" SET (fillfactor = 70);

-- CreateTable
CREATE TABLE "queue_claim" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "excerpt_id" BIGINT NOT NULL,
    "leased_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_expires_at" TIMESTAMPTZ(6) NOT NULL,
    CONSTRAINT "queue_claim_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "queue_claim_user_id_lease_expires_at_idx" ON "queue_claim"("user_id", "lease_expires_at");
