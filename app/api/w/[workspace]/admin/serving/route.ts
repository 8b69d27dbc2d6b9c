import { ZRoutingSettings } from "@/lib/serving/contract.ts";
import { withRoute } from "@/server/http/route.ts";
import { getServingSettings } from "@/server/serving/get-serving-settings.ts";
import { updateRoutingSettings } from "@/server/serving/update-routing-settings.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/admin/serving – machine-API routing settings and each category's Perspective attribute.
export const GET = withRoute({ workspace: true, roles: ["admin"] }, async ({ workspace }) => {
  return getServingSettings({ workspaceId: workspace.id });
});

// PUT /api/w/:workspace/admin/serving – how live traffic enters the review queue (flagged, uncertain margin, audit share).
export const PUT = withRoute({ workspace: true, roles: ["admin"], body: ZRoutingSettings }, async ({ workspace, body }) => {
  return updateRoutingSettings({ workspaceId: workspace.id, settings: body });
});
