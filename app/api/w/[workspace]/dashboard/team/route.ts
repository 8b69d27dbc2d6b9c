import { AppError } from "@/lib/errors.ts";
import { ZDashboardQuery } from "@/lib/dashboard/schemas.ts";
import { csvResponse, dashboardCsv } from "@/server/dashboard/dashboard-csv.ts";
import { getTeam } from "@/server/dashboard/get-team.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/dashboard/team – moderator throughput, time to decide and the backlog (JSON, or one table as CSV with format=csv&table=…)
export const GET = withRoute({ workspace: true, roles: ["manager", "data_scientist"], query: ZDashboardQuery }, async ({ workspace, query }) => {
  const { format, table, ...filters } = query;
  const report = await getTeam({ workspaceId: workspace.id, filters });
  if (format === "json") return report;
  const csv = table ? dashboardCsv(table, { team: report }) : null;
  if (!csv) throw new AppError("VALIDATION", "Unknown table for CSV: choose one of moderators.");
  return csvResponse(csv, table!);
});
