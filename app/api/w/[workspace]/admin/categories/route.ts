import { withRoute } from "@/server/http/route.ts";
import { createCategory } from "@/server/taxonomy/create-category.ts";
import { ZCreateCategory } from "@/lib/taxonomy/contract.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/admin/categories – adds a category to the taxonomy.
// With an Idempotency-Key a retried create answers the first category again instead of a 409 on its name.
export const POST = withRoute(
  { workspace: true, roles: ["admin"], body: ZCreateCategory, idempotent: "taxonomy.category.create" },
  async ({ workspace, body }) => {
    return { category: await createCategory({ workspaceId: workspace.id, input: body }) };
  },
);
