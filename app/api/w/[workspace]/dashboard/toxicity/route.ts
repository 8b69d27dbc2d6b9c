import { AppError } from "@/lib/errors.ts";
import { ZDashboardQuery } from "@/lib/dashboard/schemas.ts";
import { csvResponse, dashboardCsv } from "@/server/dashboard/dashboard-csv.ts";
import { getToxicity } from "@/server/dashboard/get-toxicity.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/dashboard/toxicity – flagged and confirmed-toxic rates over time and per game/channel/source (JSON, or one table as CSV with format=csv&table=…)
export const GET = withRoute({ workspace: true, roles: ["manager", "data_scientist"], query: ZDashboardQuery }, async ({ workspace, query }) => {
  const { format, table, ...filters } = query;
  const report = await getToxicity({ workspaceId: workspace.id, filters });
  if (format === "json") return report;
  const csv = table ? dashboardCsv(table, { toxicity: report }) : null;
  if (!csv) throw new AppError("VALIDATION", "Unknown table for CSV: choose one of toxicity, community.");
  return csvResponse(csv, table!);
});
