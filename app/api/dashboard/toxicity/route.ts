import { AppError } from "@/lib/errors.ts";
import { ZDashboardQuery } from "@/lib/dashboard/schemas.ts";
import { csvResponse, dashboardCsv } from "@/server/dashboard/dashboard-csv.ts";
import { getToxicity } from "@/server/dashboard/get-toxicity.ts";
import { withRoute } from "@/server/http/route.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/dashboard/toxicity – flagged and confirmed-toxic rates over time and per game/channel/source (JSON, or one table as CSV with format=csv&table=…)
export const GET = withRoute({ roles: ["manager", "data_scientist"], query: ZDashboardQuery }, async ({ query }) => {
  const { format, table, ...filters } = query;
  const workspace = await getCurrentWorkspace();
  const report = await getToxicity({ workspaceId: workspace.id, filters });
  if (format === "json") return report;
  const csv = table ? dashboardCsv(table, { toxicity: report }) : null;
  if (!csv) throw new AppError("VALIDATION", "Unknown table for CSV: choose one of toxicity, community.");
  return csvResponse(csv, table!);
});
