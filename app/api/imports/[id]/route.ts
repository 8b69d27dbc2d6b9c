import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { getImportBatch } from "@/server/ingest/get-import-batch.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/imports/:id – one import's status, counters and first 100 errors (with line numbers).
export const GET = withRoute({ roles: ["admin", "data_scientist"] }, async ({ params }) => {
  const importBatchId = z.coerce.number().int().positive("Import ids are positive numbers").parse(params.id);
  const workspace = await getCurrentWorkspace();
  return getImportBatch({ workspaceId: workspace.id, importBatchId });
});
