import { ExcerptBrowser } from "@/components/excerpts/excerpt-browser.tsx";
import { requirePageUser } from "@/server/auth/require-page-user.ts";
import { listCategories } from "@/server/taxonomy/list-categories.ts";
import { getCurrentWorkspace } from "@/server/workspace/get-current-workspace.ts";

export const metadata = { title: "Excerpts · modloop" };

export default async function ExcerptsPage() {
  await requirePageUser("any");
  const workspace = await getCurrentWorkspace();
  return <ExcerptBrowser initialCategories={await listCategories({ workspaceId: workspace.id })} />;
}
