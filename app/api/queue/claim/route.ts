import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { claimItems } from "@/server/queue/claim-items.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const runtime = "nodejs";

const ZClaimQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).optional() });

// GET /api/queue/claim – leases the next batch of ranked excerpts to the calling moderator.
export const GET = withRoute({ roles: ["moderator"], query: ZClaimQuery }, async ({ user, query }) => {
  const workspace = await getCurrentWorkspace();
  return { cards: await claimItems({ workspaceId: workspace.id, userId: user.id, limit: query.limit }) };
});
