-- The demo lives in its own workspace with the slug "demo" (its pages: /w/demo/…), beside the workspaces
-- teams create for their own data. Installs seeded before this release have it under "default": it moves,
-- unless a workspace is already called "demo". A workspace under "default" that is not the demo stays as it is.
UPDATE "workspace" SET "slug" = 'demo'
 WHERE "slug" = 'default' AND "name" = 'Demo: game chat'
   AND NOT EXISTS (SELECT 1 FROM "workspace" WHERE "slug" = 'demo');
