import { WebhooksAdmin } from "@/components/admin/webhooks-admin.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";

export const metadata = { title: "Webhooks · Admin · modloop" };

export default async function AdminWebhooksPage({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspacePage(params, ["admin"]);
  return <WebhooksAdmin />;
}
