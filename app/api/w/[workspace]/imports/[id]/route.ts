import { pathIntId, withRoute } from "@/server/http/route.ts";
import { getImportBatch } from "@/server/ingest/get-import-batch.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/imports/:id – one import's status, counters and first 100 errors (with line numbers).
export const GET = withRoute({ workspace: true, roles: ["admin", "data_scientist"] }, async ({ workspace, params }) => {
  const importBatchId = pathIntId(params.id);
  return getImportBatch({ workspaceId: workspace.id, importBatchId });
});
