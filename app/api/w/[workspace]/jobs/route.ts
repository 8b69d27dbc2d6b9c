import { withRoute } from "@/server/http/route.ts";
import { listBackgroundFailures } from "@/server/jobs/list-background-failures.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/jobs – background tasks (scoring, training, re-ranking, snapshots) that failed for good and have
// not succeeded since, with their reason: the banner on the workspace's pages shows them.
export const GET = withRoute({ workspace: true, roles: ["data_scientist", "manager"] }, async ({ workspace }) => {
  return { failures: await listBackgroundFailures({ workspaceId: workspace.id }) };
});
