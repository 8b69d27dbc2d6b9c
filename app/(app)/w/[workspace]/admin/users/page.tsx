import { UsersAdmin } from "@/components/admin/users-admin.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { listUsers } from "@/server/users/list-users.ts";
import { listWorkspaceMembers } from "@/server/workspace/list-workspace-members.ts";

export const metadata = { title: "Users · Admin · modloop" };

export default async function AdminUsersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { user, workspace } = await requireWorkspacePage(params, ["admin"]);
  const [users, members] = await Promise.all([listUsers(), listWorkspaceMembers({ workspaceId: workspace.id })]);
  return <UsersAdmin initialUsers={users} initialMembers={members} currentUserId={user.id} />;
}
