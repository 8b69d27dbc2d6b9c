import { withRoute } from "@/server/http/route.ts";
import { promoteModelVersion } from "@/server/registry/promote-model-version.ts";
import { ZModelVersionId, ZPromoteBody } from "@/server/registry/schemas.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/models/:id/promote – makes the version active; 409 with the comparison when it is worse than the active one and not confirmed.
export const POST = withRoute({ roles: ["data_scientist"], body: ZPromoteBody }, async ({ body, params }) => {
  const workspace = await getCurrentWorkspace();
  return promoteModelVersion({ workspaceId: workspace.id, modelVersionId: ZModelVersionId.parse(params.id), isConfirmed: body.isConfirmed });
});
