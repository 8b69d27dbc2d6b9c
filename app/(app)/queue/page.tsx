import { ReviewQueue } from "@/components/queue/review-queue.tsx";
import { requirePageUser } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";
import { getCategoryExamples } from "@/server/taxonomy/get-category-examples.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const metadata = { title: "Queue · modloop" };

export default async function QueuePage() {
  await requirePageUser(["moderator"]);
  const workspace = await getCurrentWorkspace();
  const [categories, examples] = await Promise.all([listCategories({ workspaceId: workspace.id }), getCategoryExamples({ workspaceId: workspace.id })]);
  return <ReviewQueue initialCategories={categories} examplesByCategoryId={examples} />;
}
