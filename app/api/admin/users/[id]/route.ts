import { pathIntId, withRoute } from "@/server/http/route.ts";
import { ZUpdateUser } from "@/lib/users/contract.ts";
import { updateUser } from "@/server/users/update-user.ts";

export const runtime = "nodejs";

// PATCH /api/admin/users/:id – changes role, name, active flag or password (ends sessions on deactivate/reset).
export const PATCH = withRoute({ roles: ["admin"], body: ZUpdateUser }, async ({ user, body, params }) => {
  const userId = pathIntId(params.id);
  return updateUser({ actorId: user.id, userId, changes: body });
});
