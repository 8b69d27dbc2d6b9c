import { redirect } from "next/navigation";
import { AdjudicationQueue } from "@/components/adjudication/adjudication-queue.tsx";
import { canAdjudicate } from "@/server/adjudication/assert-can-adjudicate.ts";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";

export const metadata = { title: "Adjudication · modloop" };

export default async function AdjudicationPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { user, workspace, role } = await requireWorkspacePage(params, ["moderator"]);
  // seniors are moderators with is_senior (admins always pass): the flag lives in the database, not the role
  if (role !== "admin" && !(await canAdjudicate({ userId: user.id }))) redirect("/forbidden");
  const categories = await listCategories({ workspaceId: workspace.id });
  return <AdjudicationQueue initialCategories={categories} />;
}
