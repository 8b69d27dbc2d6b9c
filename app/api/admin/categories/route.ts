import { withRoute } from "@/server/http/route.ts";
import { createCategory } from "@/server/taxonomy/create-category.ts";
import { ZCreateCategory } from "@/server/taxonomy/schemas.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

// POST /api/admin/categories – adds a category to the taxonomy.
export const POST = withRoute({ roles: ["admin"], body: ZCreateCategory }, async ({ body }) => {
  const workspace = await getCurrentWorkspace();
  return { category: await createCategory({ workspaceId: workspace.id, input: body }) };
});
