import { withRoute } from "@/server/http/route.ts";
import { MAX_IMPORT_UPLOAD_BYTES, previewUpload } from "@/server/ingest/import-upload.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/imports/preview – reads an upload (multipart: format, mapping, labelColumns, delimiter, then file) as the import would and answers the first rows as stored, the detected columns, the proposed label mapping and the rows that would be skipped; writes nothing.
// the preview reads the whole upload as the import would (streamed), so it takes the import's limit
export const POST = withRoute({ workspace: true, roles: ["admin"], maxBodyBytes: MAX_IMPORT_UPLOAD_BYTES }, async ({ workspace, req }) =>
  previewUpload({ workspaceId: workspace.id, request: req }),
);
