import { AppError } from "@/lib/errors.ts";
import { ZDashboardQuery } from "@/lib/dashboard/schemas.ts";
import { csvResponse, dashboardCsv } from "@/server/dashboard/dashboard-csv.ts";
import { getAgreement } from "@/server/dashboard/get-agreement.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/dashboard/agreement – inter-annotator agreement on excerpts labelled by two or more moderators (JSON, or one table as CSV with format=csv&table=…)
export const GET = withRoute({ workspace: true, roles: ["manager", "data_scientist"], query: ZDashboardQuery }, async ({ workspace, query }) => {
  const { format, table, ...filters } = query;
  const report = await getAgreement({ workspaceId: workspace.id, filters });
  if (format === "json") return report;
  const csv = table ? dashboardCsv(table, { agreement: report }) : null;
  if (!csv) throw new AppError("VALIDATION", "Unknown table for CSV: choose one of agreement.");
  return csvResponse(csv, table!);
});
