import { ZUpdateWorkspace } from "@/lib/workspace/contract.ts";
import { withRoute } from "@/server/http/route.ts";
import { updateWorkspace } from "@/server/workspace/update-workspace.ts";

export const runtime = "nodejs";

// PATCH /api/w/<slug> – rename and/or archive or restore the workspace (admins). Allowed while archived:
// it is how a workspace is restored.
export const PATCH = withRoute({ roles: ["admin"], workspace: true, body: ZUpdateWorkspace, isAllowedWhenArchived: true }, async ({ workspace, body }) => ({
  workspace: await updateWorkspace({ workspaceId: workspace.id, changes: body }),
}));
