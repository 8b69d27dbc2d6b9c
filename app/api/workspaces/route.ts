import { withRoute } from "@/server/http/route.ts";
import { listUserWorkspaces } from "@/server/workspace/list-user-workspaces.ts";

export const runtime = "nodejs";

// GET /api/workspaces – the signed-in user's workspaces and their role in each (every workspace for instance admins).
export const GET = withRoute({ roles: "any" }, async ({ user }) => ({ workspaces: await listUserWorkspaces({ user }) }));
