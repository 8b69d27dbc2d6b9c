import { withRoute } from "@/server/http/route.ts";
import { MODEL_UPLOAD_LIMITS } from "@/server/registry/read-model-upload.ts";
import { registerModelUpload } from "@/server/registry/register-model-upload.ts";

export const runtime = "nodejs";

// With an Idempotency-Key a retried upload answers the first registration (the small summary, not the files);
// another upload with the key is a 409. The version row commits on its own (its evaluation writes it from
// another connection): were the key lost with a crash, a rerun is refused by the version's unique name.
// POST /api/w/:workspace/models/upload – registers a fine-tuned model folder (multipart "files": a .tar.gz, or manifest.json + model.onnx + tokenizer.json).
export const POST = withRoute(
  { workspace: true, roles: ["data_scientist"], maxBodyBytes: MODEL_UPLOAD_LIMITS.maxTotalBytes, idempotent: "models.upload" },
  async ({ workspace, req, user }) => {
    return registerModelUpload({ workspaceId: workspace.id, request: req, uploadedById: user.id });
  },
);
