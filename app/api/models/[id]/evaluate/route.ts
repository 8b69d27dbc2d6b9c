import { withRoute } from "@/server/http/route.ts";
import { evaluateModelVersion } from "@/server/evaluation/evaluate-model-version.ts";
import { readVersionFacts } from "@/server/evaluation/read-version-facts.ts";
import { ZModelVersionId } from "@/server/registry/schemas.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/models/:id/evaluate – re-evaluates the version on the current gold set and stores the metrics.
export const POST = withRoute({ roles: ["data_scientist"] }, async ({ params }) => {
  const workspace = await getCurrentWorkspace();
  const modelVersionId = ZModelVersionId.parse(params.id);
  await readVersionFacts({ modelVersionId, workspaceId: workspace.id }); // 404 for another workspace's version
  return evaluateModelVersion({ modelVersionId });
});
