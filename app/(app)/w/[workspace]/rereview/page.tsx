import { redirect } from "next/navigation";
import { RereviewQueue } from "@/components/rereview/rereview-queue.tsx";
import { isAdjudicator } from "@/lib/auth/roles.ts";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";

export const metadata = { title: "Re-review · modloop" };

export default async function RereviewPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { user, workspace, role } = await requireWorkspacePage(params, ["moderator"]);
  // the same people the re-review API lets in (withRoute's `senior`)
  if (!isAdjudicator(user, role)) redirect("/forbidden");
  const categories = await listCategories({ workspaceId: workspace.id });
  return <RereviewQueue initialCategories={categories} />;
}
