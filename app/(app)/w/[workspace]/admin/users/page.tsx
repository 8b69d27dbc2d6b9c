import { UsersAdmin } from "@/components/admin/users-admin.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { listUsers } from "@/server/users/list-users.ts";

export const metadata = { title: "Users · Admin · modloop" };

export default async function AdminUsersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { user } = await requireWorkspacePage(params, ["admin"]);
  return <UsersAdmin initialUsers={await listUsers()} currentUserId={user.id} />;
}
