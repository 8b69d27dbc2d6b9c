import { refreshDashboard } from "@/server/dashboard/refresh-dashboard.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// POST /api/dashboard/refresh – recompute the rollups now instead of waiting for the worker
export const POST = withRoute({ roles: ["manager", "data_scientist"] }, async () => refreshDashboard());
