import { ReviewQueue } from "@/components/queue/review-queue.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import { getCategoryExamples } from "@/server/taxonomy/get-category-examples.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";

export const metadata = { title: "Queue · modloop" };

export default async function QueuePage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await requireWorkspacePage(params, ["moderator"]);
  const [categories, examples] = await Promise.all([listCategories({ workspaceId: workspace.id }), getCategoryExamples({ workspaceId: workspace.id })]);
  return <ReviewQueue initialCategories={categories} examplesByCategoryId={examples} />;
}
