import { withRoute } from "@/server/http/route.ts";
import { ZWorkspaceSettings } from "@/lib/workspace/contract.ts";
import { updateWorkspaceSettings } from "@/server/workspace/update-workspace-settings.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/admin/settings – the workspace's queue and automatic-retrain settings.
export const GET = withRoute({ workspace: true, roles: ["admin"] }, async ({ workspace }) => {
  const { flagThreshold, rankStrategy, isFlaggedFirst, maxSimilarity, randomShare, overlapShare, leaseSeconds, retrainEvery } = workspace;
  return { flagThreshold, rankStrategy, isFlaggedFirst, maxSimilarity, randomShare, overlapShare, leaseSeconds, retrainEvery };
});

// PUT /api/w/:workspace/admin/settings – saves them; threshold, strategy, flagged tier, share and spacing changes re-rank the open queue.
export const PUT = withRoute({ workspace: true, roles: ["admin"], body: ZWorkspaceSettings }, async ({ workspace, body }) => {
  return updateWorkspaceSettings({ workspaceId: workspace.id, settings: body });
});
