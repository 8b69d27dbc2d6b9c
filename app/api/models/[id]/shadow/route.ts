import { withRoute } from "@/server/http/route.ts";
import { ZModelVersionId, ZShadowBody } from "@/server/registry/schemas.ts";
import { setShadow } from "@/server/registry/set-shadow.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/models/:id/shadow – starts or stops shadow scoring (predictions stored, never served).
export const POST = withRoute({ roles: ["data_scientist"], body: ZShadowBody }, async ({ body, params }) => {
  const workspace = await getCurrentWorkspace();
  return setShadow({ workspaceId: workspace.id, modelVersionId: ZModelVersionId.parse(params.id), isShadow: body.isShadow });
});
