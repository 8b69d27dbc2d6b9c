import { MachineApiAdmin } from "@/components/admin/machine-api-admin.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";

export const metadata = { title: "Machine API · Admin · modloop" };

export default async function AdminMachineApiPage({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspacePage(params, ["admin"]);
  return <MachineApiAdmin />;
}
