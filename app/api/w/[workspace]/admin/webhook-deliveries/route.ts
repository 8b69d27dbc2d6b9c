import { z } from "zod";
import { withRoute } from "@/server/http/route.ts";
import { listWebhookDeliveries } from "@/server/webhooks/list-webhook-deliveries.ts";

export const runtime = "nodejs";

const ZDeliveriesQuery = z
  .object({
    webhookId: z.coerce
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1)
      .optional(),
    status: z.enum(["pending", "delivered", "failed", "cancelled"]).optional(),
    before: z
      .string()
      .regex(/^\d{1,19}$/, "before is a delivery id")
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();

// GET /api/w/:workspace/admin/webhook-deliveries – the delivery log, newest first (status, response code, attempts), keyset-paged.
export const GET = withRoute({ workspace: true, roles: ["admin"], query: ZDeliveriesQuery }, async ({ workspace, query }) => {
  return listWebhookDeliveries({ workspaceId: workspace.id, ...query });
});
