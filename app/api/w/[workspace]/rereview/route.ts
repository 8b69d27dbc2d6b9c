import { z } from "zod";
import { listRereviewQueue, MAX_REREVIEW_LIMIT } from "@/server/label-errors/list-rereview-queue.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

const ZListQuery = z.object({ limit: z.coerce.number().int().min(1).max(MAX_REREVIEW_LIMIT).optional() });

// GET /api/w/:workspace/rereview?limit= – the open suspected label errors, most likely first, with their evidence
// (read-only, no leases). Senior moderators and admins only, as for adjudication.
export const GET = withRoute({ workspace: true, roles: ["moderator"], senior: true, query: ZListQuery }, async ({ workspace, query }) => {
  return listRereviewQueue({ workspaceId: workspace.id, limit: query.limit });
});
