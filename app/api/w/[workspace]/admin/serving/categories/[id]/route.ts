import { z } from "zod";
import { pathIntId, withRoute } from "@/server/http/route.ts";
import { setCategoryAttribute } from "@/server/serving/set-category-attribute.ts";

export const runtime = "nodejs";

const ZCategoryAttribute = z.object({ attribute: z.string().trim().max(64, "attribute is at most 64 characters").nullable() }).strict();

// PUT /api/w/:workspace/admin/serving/categories/:id – the Perspective attribute this category answers under (null: by its name).
export const PUT = withRoute({ workspace: true, roles: ["admin"], body: ZCategoryAttribute }, async ({ workspace, params, body }) => {
  return setCategoryAttribute({ workspaceId: workspace.id, categoryId: pathIntId(params.id), attribute: body.attribute === "" ? null : body.attribute });
});
