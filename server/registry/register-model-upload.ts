import { evaluateModelVersion } from "../evaluation/evaluate-model-version.ts";
import { registerUploadedModel, type TRegisteredModel } from "../model/register-model-dir.ts";
import { type TUploadedFile, unpackModelUpload } from "./unpack-model-upload.ts";

/**
 * The registry page's upload: unpacks the files, registers them as a candidate version (validated and
 * smoke-run by registerUploadedModel, the same checks as `npm run model:import`) and evaluates it on
 * the gold set, so it is listed with metrics next to the others.
 */
export async function registerModelUpload(options: { workspaceId: number; files: readonly TUploadedFile[]; uploadedById: number | null }): Promise<TRegisteredModel & { goldN: number }> {
  const registered = await registerUploadedModel({ workspaceId: options.workspaceId, files: unpackModelUpload(options.files), trainedById: options.uploadedById });
  const evaluation = await evaluateModelVersion({ modelVersionId: registered.id });
  return { ...registered, goldN: evaluation.n };
}
