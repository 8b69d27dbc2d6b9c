import { getFilterOptions } from "@/server/dashboard/get-filter-options.ts";
import { withRoute } from "@/server/http/route.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/dashboard/options – games, channels, categories and model versions for the filter bar
export const GET = withRoute({ roles: ["manager", "data_scientist"] }, async () => {
  const workspace = await getCurrentWorkspace();
  return getFilterOptions({ workspaceId: workspace.id });
});
