import { ZDashboardQuery } from "@/lib/dashboard/schemas.ts";
import { getRereviewCorrections } from "@/server/label-errors/get-rereview-corrections.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// the filter bar's period; its other filters (game, channel…) do not apply to corrections and are ignored
const ZCorrectionsQuery = ZDashboardQuery.pick({ from: true, to: true }).loose();

const DAY_MS = 86_400_000;

// GET /api/w/:workspace/dashboard/corrections?from=&to= – labels settled through re-review in the period (to inclusive,
// as the dashboard's filter bar), how many were corrected and whose, next to each moderator's labelling volume.
export const GET = withRoute({ workspace: true, roles: ["manager", "data_scientist"], query: ZCorrectionsQuery }, async ({ workspace, query }) => {
  const from = query.from ? new Date(`${query.from}T00:00:00Z`) : null;
  const to = query.to ? new Date(new Date(`${query.to}T00:00:00Z`).getTime() + DAY_MS) : null;
  return getRereviewCorrections({ workspaceId: workspace.id, from, to });
});
