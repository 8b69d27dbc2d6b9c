import type { ReactNode } from "react";
import { requirePageUser } from "@/server/auth/require-page-user.ts";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  // Pages check their own roles (and workspace membership) too; this only covers the signed-out case.
  await requirePageUser("any");
  return <div className="flex min-h-screen flex-col">{children}</div>;
}
