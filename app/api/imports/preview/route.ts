import { withRoute } from "@/server/http/route.ts";
import { previewUpload } from "@/server/ingest/import-upload.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/imports/preview – reads an upload (multipart: format, mapping, labelColumns, delimiter, then file) as the import would and answers the first rows as stored, the detected columns, the proposed label mapping and the rows that would be skipped; writes nothing.
export const POST = withRoute({ roles: ["admin"] }, async ({ req }) => {
  const workspace = await getCurrentWorkspace();
  return previewUpload({ workspaceId: workspace.id, request: req });
});
