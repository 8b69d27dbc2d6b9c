-- Workspaces get members: a user's role now comes from their membership of the workspace in the URL,
-- so one person can be a moderator in one workspace and a data scientist in another.
-- app_user.role = 'admin' stays the instance admin (admin of every workspace, member or not).
CREATE TABLE "workspace_member" (
    "workspace_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "workspace_member_pkey" PRIMARY KEY ("workspace_id", "user_id"),
    CONSTRAINT "workspace_member_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "workspace_member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- "which workspaces is this user in" (the switcher, the landing page)
CREATE INDEX "workspace_member_user_id_idx" ON "workspace_member"("user_id");

-- Nobody loses access in the upgrade: every existing user becomes a member of every existing
-- workspace with the role they had instance-wide.
INSERT INTO "workspace_member" ("workspace_id", "user_id", "role")
SELECT w."id", u."id", u."role" FROM "workspace" w CROSS JOIN "app_user" u;

-- Archived workspaces stay readable but take no new data (archiving itself is built separately).
ALTER TABLE "workspace" ADD COLUMN "archived_at" TIMESTAMPTZ(6);
