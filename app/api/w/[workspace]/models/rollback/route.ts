import { withRoute } from "@/server/http/route.ts";
import { rollbackModelVersion } from "@/server/registry/rollback-model-version.ts";
import { ZRollbackBody } from "@/server/registry/schemas.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/models/rollback – re-promotes the previously active version; re-scoring runs in the background.
// 409 when the active version is no longer body.expectedActiveId; with an Idempotency-Key a retry does not roll back twice.
export const POST = withRoute(
  { workspace: true, roles: ["data_scientist"], body: ZRollbackBody, idempotent: "model.rollback" },
  async ({ workspace, body }) => {
    return rollbackModelVersion({ workspaceId: workspace.id, expectedActiveId: body.expectedActiveId });
  },
);
