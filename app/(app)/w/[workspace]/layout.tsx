import type { ReactNode } from "react";
import { WorkspaceProvider } from "@/components/hooks/workspace-context.tsx";
import { AppHeader } from "@/components/shell/app-header.tsx";
import { BackgroundFailureBanner } from "@/components/shell/background-failure-banner.tsx";
import { NAV_ITEMS } from "@/components/shell/nav-items.ts";
import { hasRole, isAdjudicator } from "@/lib/auth/roles.ts";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { listUserWorkspaces } from "@/server/workspace/list-user-workspaces.ts";

export default async function WorkspaceLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string }> }) {
  // 404 for an unknown slug or a non-member; every page below checks again (layouts do not re-run on client navigation).
  const { user, workspace, role } = await requireWorkspacePage(params, "any");
  const items = NAV_ITEMS.filter((item) => hasRole({ role }, item.roles) && (!item.isSeniorOnly || isAdjudicator(user, role)));
  const workspaces = await listUserWorkspaces({ user });
  return (
    <WorkspaceProvider slug={workspace.slug} name={workspace.name}>
      <AppHeader user={user} role={role} items={[...items]} workspace={{ slug: workspace.slug, name: workspace.name }} workspaces={workspaces} />
      {hasRole({ role }, ["data_scientist", "manager"]) && <BackgroundFailureBanner />}
      <main className="flex-1">{children}</main>
    </WorkspaceProvider>
  );
}
