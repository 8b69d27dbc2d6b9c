import { withRoute } from "@/server/http/route.ts";
import { registerModelUpload } from "@/server/registry/register-model-upload.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/models/upload – registers a fine-tuned model folder (multipart "files": a .tar.gz, or manifest.json + model.onnx + tokenizer.json).
export const POST = withRoute({ roles: ["data_scientist"] }, async ({ req, user }) => {
  const workspace = await getCurrentWorkspace();
  return registerModelUpload({ workspaceId: workspace.id, request: req, uploadedById: user.id });
});
