import { ZWebhookInput } from "@/lib/serving/contract.ts";
import { withRoute } from "@/server/http/route.ts";
import { createWebhook } from "@/server/webhooks/create-webhook.ts";
import { listWebhooks } from "@/server/webhooks/list-webhooks.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/admin/webhooks – the workspace's webhooks (never their secrets).
export const GET = withRoute({ workspace: true, roles: ["admin"] }, async ({ workspace }) => {
  return { webhooks: await listWebhooks({ workspaceId: workspace.id }) };
});

// POST /api/w/:workspace/admin/webhooks – adds a webhook; the answer holds its signing secret once.
export const POST = withRoute(
  { workspace: true, roles: ["admin"], idempotent: { operation: "webhook.create", isAnswerSecret: true }, body: ZWebhookInput },
  async ({ workspace, user, body }) => {
    return { webhook: await createWebhook({ workspaceId: workspace.id, createdById: user.id, input: body }) };
  },
);
