import { withRoute } from "@/server/http/route.ts";
import { listModelVersions } from "@/server/registry/list-model-versions.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/models – the model registry: versions with metrics, training runs, gold set, threshold.
export const GET = withRoute({ workspace: true, roles: ["data_scientist", "manager"] }, async ({ workspace }) => {
  return listModelVersions({ workspaceId: workspace.id });
});
