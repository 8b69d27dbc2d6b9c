import { withRoute } from "@/server/http/route.ts";
import { compareWithActive } from "@/server/evaluation/compare-with-active.ts";
import { ZModelVersionId } from "@/server/registry/schemas.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/models/:id/promotion-check – the version against the active one on the current gold set (is it worse?).
export const GET = withRoute({ roles: ["data_scientist", "manager"] }, async ({ params }) => {
  const workspace = await getCurrentWorkspace();
  return compareWithActive({ modelVersionId: ZModelVersionId.parse(params.id), workspaceId: workspace.id });
});
