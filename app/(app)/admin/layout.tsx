import type { ReactNode } from "react";
import { AdminTabs } from "@/components/admin/admin-tabs.tsx";
import { requirePageUser } from "@/server/auth/require-page-user.ts";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  // Each admin page checks the role itself as well: layouts are not re-run on client navigation.
  await requirePageUser(["admin"]);
  return (
    <div className="mx-auto max-w-[1400px] px-4 py-4">
      <AdminTabs />
      {children}
    </div>
  );
}
