import { pathIntId, withRoute } from "@/server/http/route.ts";
import { ZUpdateCategory } from "@/lib/taxonomy/contract.ts";
import { updateCategory } from "@/server/taxonomy/update-category.ts";

export const runtime = "nodejs";

// PATCH /api/w/:workspace/admin/categories/:id – edits a category (never deletes: isActive=false retires it).
export const PATCH = withRoute({ workspace: true, roles: ["admin"], body: ZUpdateCategory }, async ({ workspace, body, params }) => {
  const categoryId = pathIntId(params.id);
  return { category: await updateCategory({ workspaceId: workspace.id, categoryId, changes: body }) };
});
