import { z } from "zod";
import { ZDashboardQuery } from "@/lib/dashboard/schemas.ts";
import { listCellExcerpts } from "@/server/dashboard/list-cell-excerpts.ts";
import { jsonSafe, withRoute } from "@/server/http/route.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

const ZCellQuery = ZDashboardQuery.extend({
  suggestedCategoryId: z.coerce.number().int().positive(),
  labelCategoryId: z.coerce.number().int().positive(),
});

// GET /api/dashboard/cell – the excerpts behind one confusion-matrix cell (drill-down)
export const GET = withRoute({ roles: ["manager", "data_scientist"], query: ZCellQuery }, async ({ query }) => {
  const { format: _f, table: _t, suggestedCategoryId, labelCategoryId, ...filters } = query;
  const workspace = await getCurrentWorkspace();
  return jsonSafe(await listCellExcerpts({ workspaceId: workspace.id, filters, suggestedCategoryId, categoryId: labelCategoryId }));
});
