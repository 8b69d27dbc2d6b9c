import { UsersAdmin } from "@/components/admin/users-admin.tsx";
import { requirePageUser } from "@/server/auth/require-page-user.ts";
import { listUsers } from "@/server/users/list-users.ts";

export const metadata = { title: "Users · Admin · modloop" };

export default async function AdminUsersPage() {
  const user = await requirePageUser(["admin"]);
  return <UsersAdmin initialUsers={await listUsers()} currentUserId={user.id} />;
}
