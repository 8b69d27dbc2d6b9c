import { withRoute } from "@/server/http/route.ts";
import { listModelVersions } from "@/server/registry/list-model-versions.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/models – the model registry: versions with metrics, training runs, gold set, threshold.
export const GET = withRoute({ roles: ["data_scientist", "manager"] }, async () => {
  const workspace = await getCurrentWorkspace();
  return listModelVersions({ workspaceId: workspace.id });
});
