import { redirect } from "next/navigation";
import { workspacePath } from "@/lib/workspace/paths.ts";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";

export default async function AdminIndexPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await requireWorkspacePage(params, ["admin"]);
  redirect(workspacePath(workspace.slug, "admin/users"));
}
