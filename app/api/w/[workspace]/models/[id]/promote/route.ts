import { pathIntId, withRoute } from "@/server/http/route.ts";
import { promoteModelVersion } from "@/server/registry/promote-model-version.ts";
import { ZPromoteBody } from "@/server/registry/schemas.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/models/:id/promote – makes the version active; 409 with the comparison when it is worse than the active one and not confirmed,
// 409 when the active version is no longer body.expectedActiveId. With an Idempotency-Key a retry answers as the first did.
export const POST = withRoute(
  { workspace: true, roles: ["data_scientist"], body: ZPromoteBody, idempotent: "model.promote" },
  async ({ workspace, body, params }) => {
    return promoteModelVersion({
      workspaceId: workspace.id,
      modelVersionId: pathIntId(params.id),
      isConfirmed: body.isConfirmed,
      expectedActiveId: body.expectedActiveId,
    });
  },
);
