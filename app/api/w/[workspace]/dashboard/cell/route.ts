import { ZIntId } from "@/lib/http/ids.ts";
import { ZDashboardQuery } from "@/lib/dashboard/schemas.ts";
import { listCellExcerpts } from "@/server/dashboard/list-cell-excerpts.ts";
import { jsonSafe, withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

const ZCellQuery = ZDashboardQuery.extend({
  suggestedCategoryId: ZIntId,
  labelCategoryId: ZIntId,
});

// GET /api/w/:workspace/dashboard/cell – the excerpts behind one confusion-matrix cell (drill-down)
export const GET = withRoute({ workspace: true, roles: ["manager", "data_scientist"], query: ZCellQuery }, async ({ workspace, query }) => {
  const { format: _f, table: _t, suggestedCategoryId, labelCategoryId, ...filters } = query;
  return jsonSafe(await listCellExcerpts({ workspaceId: workspace.id, filters, suggestedCategoryId, categoryId: labelCategoryId }));
});
