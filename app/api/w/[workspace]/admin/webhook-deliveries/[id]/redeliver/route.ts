import { withRoute } from "@/server/http/route.ts";
import { redeliverWebhook } from "@/server/webhooks/redeliver-webhook.ts";

export const runtime = "nodejs";

// POST /api/w/:workspace/admin/webhook-deliveries/:id/redeliver – sends a finished delivery again with fresh retries (409 while still pending).
export const POST = withRoute({ workspace: true, roles: ["admin"] }, async ({ workspace, params }) => {
  return redeliverWebhook({ workspaceId: workspace.id, deliveryId: params.id ?? "" });
});
