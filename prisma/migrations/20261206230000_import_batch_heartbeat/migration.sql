-- An import's process says it is alive: heartbeat_at is touched every few seconds while the batch runs
-- (server/ingest/run-import.ts). A process killed mid-import (SIGKILL, a crashed web server, a lost
-- machine) cannot mark its batch failed, and the batch used to stay "running" for ever; a reader now
-- fails a running batch whose heartbeat stopped (server/ingest/fail-stalled-imports.ts), saying how far it
-- got and that importing the same file again completes it.
ALTER TABLE "import_batch" ADD COLUMN "heartbeat_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now();
