import { withRoute } from "@/server/http/route.ts";
import { calibrateThreshold } from "@/server/evaluation/calibrate-threshold.ts";
import { getThresholdTradeoff } from "@/server/evaluation/get-threshold-tradeoff.ts";
import { ZCalibrationTarget, ZTradeoffQuery } from "@/server/registry/schemas.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/models/threshold – flag-threshold trade-off on the gold set (and the cut a target would pick).
export const GET = withRoute({ roles: ["data_scientist", "manager"], query: ZTradeoffQuery }, async ({ query }) => {
  const workspace = await getCurrentWorkspace();
  const target = query.metric && query.atLeast !== undefined ? { metric: query.metric, atLeast: query.atLeast } : undefined;
  return getThresholdTradeoff({ workspaceId: workspace.id, modelVersionId: query.modelVersionId, target });
});

// POST /api/models/threshold – applies the threshold that meets the target; the open queue is re-flagged in the background.
export const POST = withRoute({ roles: ["data_scientist"], body: ZCalibrationTarget }, async ({ body }) => {
  const workspace = await getCurrentWorkspace();
  return calibrateThreshold({ workspaceId: workspace.id, target: body });
});
