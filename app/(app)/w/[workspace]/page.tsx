import { redirect } from "next/navigation";
import { landingPathFor } from "@/lib/workspace/paths.ts";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";

// /w/<slug> opens the page the user's role in that workspace starts on.
export default async function WorkspaceIndexPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requireWorkspacePage(params, "any");
  redirect(landingPathFor(workspace.slug, role));
}
