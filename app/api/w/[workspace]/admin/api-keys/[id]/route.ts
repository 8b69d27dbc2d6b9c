import { revokeApiKey } from "@/server/api-keys/revoke-api-key.ts";
import { pathIntId, withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// DELETE /api/w/:workspace/admin/api-keys/:id – revokes the key (it stays listed as revoked; revoking twice keeps the first time).
export const DELETE = withRoute({ workspace: true, roles: ["admin"] }, async ({ workspace, params }) => {
  return { key: await revokeApiKey({ workspaceId: workspace.id, keyId: pathIntId(params.id) }) };
});
