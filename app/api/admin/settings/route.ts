import { withRoute } from "@/server/http/route.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";
import { ZWorkspaceSettings } from "@/server/workspace/schemas.ts";
import { updateWorkspaceSettings } from "@/server/workspace/update-workspace-settings.ts";

export const runtime = "nodejs";

// GET /api/admin/settings – the workspace's queue and automatic-retrain settings.
export const GET = withRoute({ roles: ["admin"] }, async () => {
  const { flagThreshold, rankStrategy, isFlaggedFirst, maxSimilarity, randomShare, overlapShare, leaseSeconds, retrainEvery } = await getCurrentWorkspace();
  return { flagThreshold, rankStrategy, isFlaggedFirst, maxSimilarity, randomShare, overlapShare, leaseSeconds, retrainEvery };
});

// PUT /api/admin/settings – saves them; threshold, strategy, flagged tier, share and spacing changes re-rank the open queue.
export const PUT = withRoute({ roles: ["admin"], body: ZWorkspaceSettings }, async ({ body }) => {
  const workspace = await getCurrentWorkspace();
  return updateWorkspaceSettings({ workspaceId: workspace.id, settings: body });
});
