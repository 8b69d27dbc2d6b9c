import { DashboardView } from "@/components/dashboard/dashboard-view.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";

export const metadata = { title: "Dashboard · modloop" };

export default async function DashboardPage({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspacePage(params, ["manager", "data_scientist"]);
  return <DashboardView />;
}
