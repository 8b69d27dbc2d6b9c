import { ZWebhookPatch } from "@/lib/serving/contract.ts";
import { pathIntId, withRoute } from "@/server/http/route.ts";
import { deleteWebhook } from "@/server/webhooks/delete-webhook.ts";
import { updateWebhook } from "@/server/webhooks/update-webhook.ts";

export const runtime = "nodejs";

// PATCH /api/w/:workspace/admin/webhooks/:id – name, URL, events, active flag, or rotateSecret (new secret in the answer, once).
// With an Idempotency-Key a retried rotation answers the first new secret (stored sealed, as at create) instead of rotating again.
export const PATCH = withRoute(
  { workspace: true, roles: ["admin"], body: ZWebhookPatch, idempotent: { operation: "webhook.update", isAnswerSecret: true } },
  async ({ workspace, params, body }) => {
    return { webhook: await updateWebhook({ workspaceId: workspace.id, webhookId: pathIntId(params.id), patch: body }) };
  },
);

// DELETE /api/w/:workspace/admin/webhooks/:id – removes the webhook.
export const DELETE = withRoute({ workspace: true, roles: ["admin"] }, async ({ workspace, params }) => {
  return deleteWebhook({ workspaceId: workspace.id, webhookId: pathIntId(params.id) });
});
