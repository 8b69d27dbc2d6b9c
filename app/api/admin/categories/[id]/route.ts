import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { ZUpdateCategory } from "@/server/taxonomy/schemas.ts";
import { updateCategory } from "@/server/taxonomy/update-category.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// PATCH /api/admin/categories/:id – edits a category (never deletes: isActive=false retires it).
export const PATCH = withRoute({ roles: ["admin"], body: ZUpdateCategory }, async ({ body, params }) => {
  const categoryId = z.coerce.number().int().positive().parse(params.id);
  const workspace = await getCurrentWorkspace();
  return { category: await updateCategory({ workspaceId: workspace.id, categoryId, changes: body }) };
});
