import { withRoute } from "@/server/http/route.ts";
import { importUpload, MAX_IMPORT_UPLOAD_BYTES } from "@/server/ingest/import-upload.ts";
import { listImportBatches } from "@/server/ingest/list-import-batches.ts";
import { enqueueScoring } from "@/server/jobs/enqueue.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/imports – streams a CSV/JSONL upload (multipart: format, mapping, labelMap, heldOut, then file) into the workspace; returns the summary with each bad row's line.
// With an Idempotency-Key a retried upload answers the first summary (stored; never the file) and records no
// second import; another file with the same key is a 409 (the wrapper hashes the streamed body). Its chunks
// commit on their own connections: were the key lost with a crash, a rerun skips the rows as duplicates.
export const POST = withRoute(
  { workspace: true, roles: ["admin"], maxBodyBytes: MAX_IMPORT_UPLOAD_BYTES, idempotent: "imports.upload" },
  async ({ workspace, req, user }) => {
    let lastEnqueue = 0;
    return importUpload({
      workspaceId: workspace.id,
      userId: user.id,
      request: req,
      // scoring is a hint: the worker's sweep catches anything a failed enqueue misses
      onInserted: async () => {
        if (Date.now() - lastEnqueue < 5_000) return;
        lastEnqueue = Date.now();
        await enqueueScoring(workspace.id).catch((err: unknown) => console.error("[imports] could not queue scoring", (err as Error).message));
      },
    });
  },
);

// GET /api/w/:workspace/imports – the workspace's recent imports, newest first.
export const GET = withRoute({ workspace: true, roles: ["admin", "data_scientist"] }, async ({ workspace }) => {
  return { imports: await listImportBatches({ workspaceId: workspace.id }) };
});
