import { AppError } from "@/lib/errors.ts";
import { withRoute } from "@/server/http/route.ts";
import { registerModelUpload } from "@/server/registry/register-model-upload.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/models/upload – registers a fine-tuned model folder (multipart "files": a .tar.gz, or manifest.json + model.onnx + tokenizer.json).
export const POST = withRoute({ roles: ["data_scientist"] }, async ({ req, user }) => {
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    throw new AppError("BAD_INPUT", "Send the model as multipart/form-data with one or more \"files\" fields.");
  }
  const files = await Promise.all(
    form
      .getAll("files")
      .filter((f): f is File => typeof f !== "string")
      .map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  const workspace = await getCurrentWorkspace();
  return registerModelUpload({ workspaceId: workspace.id, files, uploadedById: user.id });
});
