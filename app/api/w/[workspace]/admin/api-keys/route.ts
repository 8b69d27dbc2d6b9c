import { ZCreateApiKeyInput } from "@/lib/serving/contract.ts";
import { createApiKey } from "@/server/api-keys/create-api-key.ts";
import { listApiKeys } from "@/server/api-keys/list-api-keys.ts";
import { withRoute } from "@/server/http/route.ts";

export const runtime = "nodejs";

// GET /api/w/:workspace/admin/api-keys – the workspace's machine-API keys (prefix, scopes, status; never the key).
export const GET = withRoute({ workspace: true, roles: ["admin"] }, async ({ workspace }) => {
  return { keys: await listApiKeys({ workspaceId: workspace.id }) };
});

// POST /api/w/:workspace/admin/api-keys – creates a key; the answer holds the key once, only its hash is stored.
export const POST = withRoute(
  { workspace: true, roles: ["admin"], idempotent: { operation: "apiKey.create", isAnswerSecret: true }, body: ZCreateApiKeyInput },
  async ({ workspace, user, body }) => {
    return { key: await createApiKey({ workspaceId: workspace.id, createdById: user.id, input: body }) };
  },
);
