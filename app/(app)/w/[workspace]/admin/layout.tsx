import type { ReactNode } from "react";
import { AdminTabs } from "@/components/admin/admin-tabs.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";

export default async function AdminLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string }> }) {
  // Each admin page checks the role itself as well: layouts are not re-run on client navigation.
  await requireWorkspacePage(params, ["admin"]);
  return (
    <div className="mx-auto max-w-[1400px] px-4 py-4">
      <AdminTabs />
      {children}
    </div>
  );
}
