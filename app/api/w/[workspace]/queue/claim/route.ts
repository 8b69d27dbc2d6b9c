import { ZClaimQuery } from "@/lib/queue/contract.ts";
import { withRoute } from "@/server/http/route.ts";
import { queueGate } from "@/server/queue/queue-gate.ts";
import { claimItems } from "@/server/queue/claim-items.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/queue/claim?limit= – leases the next batch of ranked excerpts to the calling moderator.
// A POST, not a GET: every call changes who holds which items, so a link or an <img> must not trigger it.
export const POST = withRoute({ workspace: true, roles: ["moderator"], gate: queueGate, query: ZClaimQuery }, async ({ workspace, user, query }) => {
  // the workspace row came with the session (one statement): its batch size and random share are current
  return { cards: await claimItems({ workspaceId: workspace.id, userId: user.id, limit: query.limit, settings: workspace }) };
});
