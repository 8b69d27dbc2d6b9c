import { ZAddMember } from "@/lib/workspace/contract.ts";
import { withRoute } from "@/server/http/route.ts";
import { listWorkspaceMembers } from "@/server/workspace/list-workspace-members.ts";
import { setWorkspaceMember } from "@/server/workspace/set-workspace-member.ts";

export const runtime = "nodejs";

// GET /api/w/<slug>/members – who can open the workspace, and their role there (admins)
export const GET = withRoute({ roles: ["admin"], workspace: true }, async ({ workspace }) => ({
  members: await listWorkspaceMembers({ workspaceId: workspace.id }),
}));

// PUT /api/w/<slug>/members – add an existing account by email, or change its role (idempotent)
// With an Idempotency-Key a retry answers the first answer (a role changed meanwhile by someone else stays).
export const PUT = withRoute(
  { roles: ["admin"], workspace: true, body: ZAddMember, idempotent: "workspace.member.add" },
  async ({ workspace, user, body }) => ({
    member: await setWorkspaceMember({ workspaceId: workspace.id, user: { email: body.email }, role: body.role, actorUserId: user.id }),
  }),
);
