import { evaluateModelVersion } from "../evaluation/evaluate-model-version.ts";
import type { TRegisteredModel } from "@/lib/registry/contract.ts";
import { registerUploadedModel } from "../model/register-model-dir.ts";
import { readModelUpload } from "./read-model-upload.ts";
import { type TUploadedFile, unpackModelUpload } from "./unpack-model-upload.ts";

type TModelUploadSource = { files: readonly TUploadedFile[] } | { request: Request };

/**
 * The registry page's upload: unpacks the files (streamed from the request with size, file-count and
 * decompression caps, see read-model-upload.ts), registers them as a candidate version (validated and
 * smoke-run by registerUploadedModel, the same checks as `npm run model:import`) and evaluates it on
 * the gold set, so it is listed with metrics next to the others.
 */
export async function registerModelUpload(
  options: TModelUploadSource & { workspaceId: number; uploadedById: number | null },
): Promise<TRegisteredModel & { goldN: number }> {
  const files = "request" in options ? await readModelUpload(options.request) : options.files;
  const registered = await registerUploadedModel({ workspaceId: options.workspaceId, files: unpackModelUpload(files), trainedById: options.uploadedById });
  const evaluation = await evaluateModelVersion({ modelVersionId: registered.id });
  return { ...registered, goldN: evaluation.n };
}
