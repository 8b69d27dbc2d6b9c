import { getFilterOptions } from "@/server/dashboard/get-filter-options.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/dashboard/options – games, channels, categories and model versions for the filter bar
export const GET = withRoute({ workspace: true, roles: ["manager", "data_scientist"] }, async ({ workspace }) => {
  return getFilterOptions({ workspaceId: workspace.id });
});
