import { withRoute } from "@/server/http/route.ts";
import { MODEL_UPLOAD_LIMITS } from "@/server/registry/read-model-upload.ts";
import { registerModelUpload } from "@/server/registry/register-model-upload.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/models/upload – registers a fine-tuned model folder (multipart "files": a .tar.gz, or manifest.json + model.onnx + tokenizer.json).
export const POST = withRoute(
  { workspace: true, roles: ["data_scientist"], maxBodyBytes: MODEL_UPLOAD_LIMITS.maxTotalBytes },
  async ({ workspace, req, user }) => {
    return registerModelUpload({ workspaceId: workspace.id, request: req, uploadedById: user.id });
  },
);
