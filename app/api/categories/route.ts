import { withRoute } from "@/server/http/route.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// GET /api/categories – the workspace taxonomy (active and retired) in display order.
export const GET = withRoute({ roles: "any" }, async () => {
  const workspace = await getCurrentWorkspace();
  return { categories: await listCategories({ workspaceId: workspace.id }) };
});
