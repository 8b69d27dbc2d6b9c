import { withRoute } from "@/server/http/route.ts";
import { importUpload } from "@/server/ingest/import-upload.ts";
import { listImportBatches } from "@/server/ingest/list-import-batches.ts";
import { enqueueScoring } from "@/server/jobs/enqueue.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/imports – streams a CSV/JSONL upload (multipart: format, mapping, labelMap, heldOut, then file) into the workspace; returns the summary with each bad row's line.
export const POST = withRoute({ roles: ["admin"] }, async ({ req, user }) => {
  const workspace = await getCurrentWorkspace();
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
});

// GET /api/imports – the workspace's recent imports, newest first.
export const GET = withRoute({ roles: ["admin", "data_scientist"] }, async () => {
  const workspace = await getCurrentWorkspace();
  return { imports: await listImportBatches({ workspaceId: workspace.id }) };
});
