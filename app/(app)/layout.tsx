import type { ReactNode } from "react";

export const dynamic = "force-dynamic";

// No session lookup here: every page below checks its own (requireWorkspacePage under /w/[workspace],
// whose layout checks too; requirePageUser on /workspaces), and a lookup here could not share the
// workspace pages' one statement (this layout does not see the workspace's slug), so it would be a second
// query on every page load. app/(app)/page-guards.test.ts keeps every page checking.
export default function AppLayout({ children }: { children: ReactNode }) {
  return <div className="flex min-h-screen flex-col">{children}</div>;
}
