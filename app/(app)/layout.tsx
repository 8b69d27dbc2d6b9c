import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header.tsx";
import { NAV_ITEMS } from "@/components/shell/nav-items.ts";
import { canAdjudicate } from "@/server/adjudication/assert-can-adjudicate.ts";
import { hasRole } from "@/server/auth/roles.ts";
import { requirePageUser } from "@/server/auth/require-page-user.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  // Pages check their own roles too; this guard only covers the signed-out case for the shell.
  const user = await requirePageUser("any");
  const workspace = await getCurrentWorkspace();
  const isSenior = NAV_ITEMS.some((item) => item.isSeniorOnly) && (await canAdjudicate({ userId: user.id }));
  const items = NAV_ITEMS.filter((item) => hasRole(user, item.roles) && (!item.isSeniorOnly || isSenior));
  return (
    <div className="flex min-h-screen flex-col">
      <AppHeader user={user} items={[...items]} workspaceName={workspace.name} />
      <div className="flex-1">{children}</div>
    </div>
  );
}
