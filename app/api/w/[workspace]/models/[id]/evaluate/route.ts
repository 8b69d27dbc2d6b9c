import { pathIntId, withRoute } from "@/server/http/route.ts";
import { evaluateModelVersion } from "@/server/evaluation/evaluate-model-version.ts";
import { readVersionFacts } from "@/server/evaluation/read-version-facts.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/models/:id/evaluate – re-evaluates the version on the current gold set and stores the metrics.
export const POST = withRoute({ workspace: true, roles: ["data_scientist"] }, async ({ workspace, params }) => {
  const modelVersionId = pathIntId(params.id);
  await readVersionFacts({ modelVersionId, workspaceId: workspace.id }); // 404 for another workspace's version
  return evaluateModelVersion({ modelVersionId });
});
