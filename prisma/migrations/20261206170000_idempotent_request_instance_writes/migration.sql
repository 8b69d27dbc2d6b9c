-- Issue 13: instance-level writes (an instance admin creating an account in Admin → Users) are keyed too.
-- They belong to no workspace, so their key rows have none; the foreign key still cascades for the rest.
ALTER TABLE "idempotent_request" ALTER COLUMN "workspace_id" DROP NOT NULL;
