import { AppError } from "@/lib/errors.ts";
import { ZDashboardQuery } from "@/lib/dashboard/schemas.ts";
import { csvResponse, dashboardCsv } from "@/server/dashboard/dashboard-csv.ts";
import { getAccuracy } from "@/server/dashboard/get-accuracy.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/dashboard/accuracy – model suggestion vs moderator labels: trends, confusion matrix, most-corrected categories (JSON, or one table as CSV with format=csv&table=…)
export const GET = withRoute({ workspace: true, roles: ["manager", "data_scientist"], query: ZDashboardQuery }, async ({ workspace, query }) => {
  const { format, table, ...filters } = query;
  const report = await getAccuracy({ workspaceId: workspace.id, filters });
  if (format === "json") return report;
  const csv = table ? dashboardCsv(table, { accuracy: report }) : null;
  if (!csv) throw new AppError("VALIDATION", "Unknown table for CSV: choose one of trends, confusion, corrections.");
  return csvResponse(csv, table!);
});
