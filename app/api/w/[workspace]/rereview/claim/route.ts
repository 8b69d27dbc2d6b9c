import { ZClaimQuery } from "@/lib/queue/contract.ts";
import { claimRereviewItems } from "@/server/label-errors/claim-rereview-items.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/rereview/claim?limit= – leases the next suspects to the calling senior (their live leases
// first, so a reload gets the same items back). A POST: it changes who holds which suspect. Seniors and admins only.
export const POST = withRoute({ workspace: true, roles: ["moderator"], senior: true, query: ZClaimQuery }, async ({ workspace, user, query }) => {
  return { items: await claimRereviewItems({ workspaceId: workspace.id, userId: user.id, limit: query.limit }) };
});
