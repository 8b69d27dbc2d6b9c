import { AppError } from "@/lib/errors.ts";
import { ZDashboardQuery } from "@/lib/dashboard/schemas.ts";
import { csvResponse, dashboardCsv } from "@/server/dashboard/dashboard-csv.ts";
import { getAgreement } from "@/server/dashboard/get-agreement.ts";
import { withRoute } from "@/server/http/route.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/dashboard/agreement – inter-annotator agreement on excerpts labelled by two or more moderators (JSON, or one table as CSV with format=csv&table=…)
export const GET = withRoute({ roles: ["manager", "data_scientist"], query: ZDashboardQuery }, async ({ query }) => {
  const { format, table, ...filters } = query;
  const workspace = await getCurrentWorkspace();
  const report = await getAgreement({ workspaceId: workspace.id, filters });
  if (format === "json") return report;
  const csv = table ? dashboardCsv(table, { agreement: report }) : null;
  if (!csv) throw new AppError("VALIDATION", "Unknown table for CSV: choose one of agreement.");
  return csvResponse(csv, table!);
});
