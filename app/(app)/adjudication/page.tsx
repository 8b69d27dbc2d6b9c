import { redirect } from "next/navigation";
import { AdjudicationQueue } from "@/components/adjudication/adjudication-queue.tsx";
import { canAdjudicate } from "@/server/adjudication/assert-can-adjudicate.ts";
import { requirePageUser } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const metadata = { title: "Adjudication · modloop" };

export default async function AdjudicationPage() {
  const user = await requirePageUser(["moderator"]);
  // seniors are moderators with is_senior (admins always pass): the flag lives in the database, not the role
  if (!(await canAdjudicate({ userId: user.id }))) redirect("/forbidden");
  const workspace = await getCurrentWorkspace();
  const categories = await listCategories({ workspaceId: workspace.id });
  return <AdjudicationQueue initialCategories={categories} />;
}
