import { withRoute } from "@/server/http/route.ts";
import { rollbackModelVersion } from "@/server/registry/rollback-model-version.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/models/rollback – re-promotes the previously active version; re-scoring runs in the background.
export const POST = withRoute({ roles: ["data_scientist"] }, async () => {
  const workspace = await getCurrentWorkspace();
  return rollbackModelVersion({ workspaceId: workspace.id });
});
