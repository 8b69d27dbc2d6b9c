-- Inter-annotator overlap and adjudication (issue 5).
-- A share of the queue is labelled by two moderators; where they disagree a senior moderator (an admin,
-- or a user with is_senior) adjudicates, and that decision (origin 'adjudication') always wins.

-- AlterEnum
ALTER TYPE "DecisionOrigin" ADD VALUE 'adjudication';

-- AlterTable
ALTER TABLE "workspace" ADD COLUMN "overlap_share" DOUBLE PRECISION NOT NULL DEFAULT 0.05;

-- AlterTable
ALTER TABLE "app_user" ADD COLUMN "is_senior" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable: an overlap item needs labels from 2 distinct moderators before it closes; labelled_by
-- keeps it away from a moderator who already labelled it (like skipped_by). labelled_by stays NULL until
-- the first label (no default): an empty array would widen every row by 16 bytes, and the page room
-- that fillfactor 70 keeps for HOT lease updates is what the claim's speed depends on. Columns with
-- constant defaults: no table rewrite.
ALTER TABLE "queue_item" ADD COLUMN "required_reviews" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN "labelled_by" INTEGER[];

-- No index for the adjudication list on purpose: any new index on queue_item (even a partial one on
-- required_reviews, which leases never change) was measured to turn lease updates non-HOT in the
-- queue's HOT regression test. The list scans the workspace's items; it is a page for a few seniors.
