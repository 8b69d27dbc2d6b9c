import { pathIntId, withRoute } from "@/server/http/route.ts";
import { ZShadowBody } from "@/server/registry/schemas.ts";
import { setShadow } from "@/server/registry/set-shadow.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/models/:id/shadow – starts or stops shadow scoring (predictions stored, never served).
export const POST = withRoute({ workspace: true, roles: ["data_scientist"], body: ZShadowBody }, async ({ workspace, body, params }) => {
  return setShadow({ workspaceId: workspace.id, modelVersionId: pathIntId(params.id), isShadow: body.isShadow });
});
