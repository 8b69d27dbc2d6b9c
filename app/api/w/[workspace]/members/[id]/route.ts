import { ZSetMember } from "@/lib/workspace/contract.ts";
import { pathIntId, withRoute } from "@/server/http/route.ts";
import { removeWorkspaceMember, setWorkspaceMember } from "@/server/workspace/set-workspace-member.ts";

export const runtime = "nodejs";

// PUT /api/w/<slug>/members/<userId> – add the user or change their role here (idempotent)
// With an Idempotency-Key a retry answers the first answer (a role changed meanwhile by someone else stays).
export const PUT = withRoute(
  { roles: ["admin"], workspace: true, body: ZSetMember, idempotent: "workspace.member.set" },
  async ({ workspace, user, body, params }) => ({
    member: await setWorkspaceMember({ workspaceId: workspace.id, user: { id: pathIntId(params.id) }, role: body.role, actorUserId: user.id }),
  }),
);

// DELETE /api/w/<slug>/members/<userId> – remove the membership (idempotent: a retry answers isRemoved: false)
export const DELETE = withRoute({ roles: ["admin"], workspace: true }, async ({ workspace, user, params }) =>
  removeWorkspaceMember({ workspaceId: workspace.id, userId: pathIntId(params.id), actorUserId: user.id }),
);
