import { z } from "zod";
import { ZBigIntId, ZIntId } from "@/lib/http/ids.ts";
import { withRoute } from "@/server/http/route.ts";
import { listWebhookDeliveries } from "@/server/webhooks/list-webhook-deliveries.ts";

export const runtime = "nodejs";

const ZDeliveriesQuery = z
  .object({
    webhookId: ZIntId.optional(),
    status: z.enum(["pending", "delivered", "failed", "cancelled"]).optional(),
    /** the last delivery id of the previous page */
    before: ZBigIntId.optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();

// GET /api/w/:workspace/admin/webhook-deliveries – the delivery log, newest first (status, response code, attempts), keyset-paged.
export const GET = withRoute({ workspace: true, roles: ["admin"], query: ZDeliveriesQuery }, async ({ workspace, query }) => {
  return listWebhookDeliveries({ workspaceId: workspace.id, ...query });
});
