import { withRoute } from "@/server/http/route.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/categories – the workspace taxonomy (active and retired) in display order.
export const GET = withRoute({ workspace: true, roles: "any" }, async ({ workspace }) => {
  return { categories: await listCategories({ workspaceId: workspace.id }) };
});
