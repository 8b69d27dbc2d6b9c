import { redirect } from "next/navigation";
import { RereviewQueue } from "@/components/rereview/rereview-queue.tsx";
import { canAdjudicate } from "@/server/adjudication/assert-can-adjudicate.ts";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";

export const metadata = { title: "Re-review · modloop" };

export default async function RereviewPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { user, workspace } = await requireWorkspacePage(params, ["moderator"]);
  // the same people the re-review API lets in: instance admins and users flagged is_senior
  if (!(await canAdjudicate({ userId: user.id }))) redirect("/forbidden");
  const categories = await listCategories({ workspaceId: workspace.id });
  return <RereviewQueue initialCategories={categories} />;
}
