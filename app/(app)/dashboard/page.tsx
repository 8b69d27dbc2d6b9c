import { DashboardView } from "@/components/dashboard/dashboard-view.tsx";
import { requirePageUser } from "@/server/auth/require-page-user.ts";

export const metadata = { title: "Dashboard · modloop" };

export default async function DashboardPage() {
  await requirePageUser(["manager", "data_scientist"]);
  return <DashboardView />;
}
