import { pathBigIntId, withRoute } from "@/server/http/route.ts";
import { redeliverWebhook } from "@/server/webhooks/redeliver-webhook.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/admin/webhook-deliveries/:id/redeliver – sends a finished delivery again with fresh retries (409 while still pending).
// With an Idempotency-Key, a retried click answers as the first did instead of a 409 from its own first attempt.
export const POST = withRoute({ workspace: true, roles: ["admin"], idempotent: "webhook.redeliver" }, async ({ workspace, params }) => {
  return redeliverWebhook({ workspaceId: workspace.id, deliveryId: pathBigIntId(params.id) });
});
