import { refreshDashboard } from "@/server/dashboard/refresh-dashboard.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/dashboard/refresh – bring this workspace's rollups up to date now instead of waiting for the worker
export const POST = withRoute({ workspace: true, roles: ["manager", "data_scientist"] }, async ({ workspace }) =>
  refreshDashboard({ workspaceId: workspace.id }),
);
