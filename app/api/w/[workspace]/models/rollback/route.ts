import { withRoute } from "@/server/http/route.ts";
import { rollbackModelVersion } from "@/server/registry/rollback-model-version.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/models/rollback – re-promotes the previously active version; re-scoring runs in the background.
export const POST = withRoute({ workspace: true, roles: ["data_scientist"] }, async ({ workspace }) => {
  return rollbackModelVersion({ workspaceId: workspace.id });
});
