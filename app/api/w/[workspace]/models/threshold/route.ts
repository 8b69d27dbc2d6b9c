import { withRoute } from "@/server/http/route.ts";
import { calibrateThreshold } from "@/server/evaluation/calibrate-threshold.ts";
import { getThresholdTradeoff } from "@/server/evaluation/get-threshold-tradeoff.ts";
import { ZCalibrationTarget, ZTradeoffQuery } from "@/server/registry/schemas.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/models/threshold – flag-threshold trade-off on the gold set (and the cut a target would pick).
export const GET = withRoute({ workspace: true, roles: ["data_scientist", "manager"], query: ZTradeoffQuery }, async ({ workspace, query }) => {
  const target = query.metric && query.atLeast !== undefined ? { metric: query.metric, atLeast: query.atLeast } : undefined;
  return getThresholdTradeoff({ workspaceId: workspace.id, modelVersionId: query.modelVersionId, target });
});

// POST /api/w/:workspace/models/threshold – applies the threshold that meets the target; the open queue is re-flagged in the background.
export const POST = withRoute({ workspace: true, roles: ["data_scientist"], body: ZCalibrationTarget }, async ({ workspace, body }) => {
  return calibrateThreshold({ workspaceId: workspace.id, target: body });
});
