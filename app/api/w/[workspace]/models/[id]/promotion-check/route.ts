import { pathIntId, withRoute } from "@/server/http/route.ts";
import { compareWithActive } from "@/server/evaluation/compare-with-active.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/models/:id/promotion-check – the version against the active one on the current gold set (is it worse?).
export const GET = withRoute({ workspace: true, roles: ["data_scientist", "manager"] }, async ({ workspace, params }) => {
  return compareWithActive({ modelVersionId: pathIntId(params.id), workspaceId: workspace.id });
});
