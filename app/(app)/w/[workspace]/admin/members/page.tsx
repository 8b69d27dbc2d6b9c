import { MembersAdmin } from "@/components/workspaces/members-admin.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { listWorkspaceMembers } from "@/server/workspace/list-workspace-members.ts";

export const metadata = { title: "Members · Admin · modloop" };

export default async function AdminMembersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { user, workspace } = await requireWorkspacePage(params, ["admin"]);
  return <MembersAdmin initialMembers={await listWorkspaceMembers({ workspaceId: workspace.id })} currentUserId={user.id} workspaceName={workspace.name} />;
}
