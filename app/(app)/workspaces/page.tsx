import Link from "next/link";
import { ROLE_LABELS } from "@/lib/auth/roles.ts";
import { WorkspacesHome, type TWorkspaceListItem } from "@/components/workspaces/workspaces-home.tsx";
import { requirePageUser } from "@/server/auth/require-page-user.ts";
import { listUserWorkspaces } from "@/server/workspace/list-user-workspaces.ts";
import { listWorkspaces } from "@/server/workspace/list-workspaces.ts";

export const metadata = { title: "Workspaces · modloop" };

// /workspaces – the workspaces the user can open; instance admins see every one, with its size, and create new ones.
export default async function WorkspacesPage() {
  const user = await requirePageUser("any");
  const isInstanceAdmin = user.role === "admin";
  const items: TWorkspaceListItem[] = isInstanceAdmin
    ? (await listWorkspaces()).map((w) => ({
        slug: w.slug,
        name: w.name,
        roleLabel: "Admin",
        isArchived: w.archivedAt !== null,
        detail: `${w.categoryCount} categories · ${w.excerptCount.toLocaleString("en-US")} excerpts`,
      }))
    : (await listUserWorkspaces({ user })).map((w) => ({ slug: w.slug, name: w.name, roleLabel: ROLE_LABELS[w.role], isArchived: w.isArchived }));
  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-12 max-w-4xl items-center gap-2 px-6">
          <Link href="/" className="flex items-center gap-2">
            <span className="flex h-6 w-6 items-center justify-center rounded bg-indigo-600 text-xs font-bold text-white">m</span>
            <span className="font-semibold tracking-tight">modloop</span>
          </Link>
          <span className="ml-auto text-[13px] text-slate-500">{user.name}</span>
        </div>
      </header>
      <WorkspacesHome workspaces={items} canCreate={isInstanceAdmin} />
    </>
  );
}
