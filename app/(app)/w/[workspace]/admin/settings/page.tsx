import { SettingsAdmin } from "@/components/admin/settings-admin.tsx";
import { WorkspaceGeneralSettings } from "@/components/workspaces/workspace-general-settings.tsx";
import { requireWorkspacePage } from "@/server/auth/require-page-user.ts";
import type { TWorkspaceSettings } from "@/lib/workspace/contract.ts";

export const metadata = { title: "Queue settings · Admin · modloop" };

export default async function AdminSettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: w } = await requireWorkspacePage(params, ["admin"]);
  const initial: TWorkspaceSettings = {
    flagThreshold: w.flagThreshold,
    rankStrategy: w.rankStrategy as TWorkspaceSettings["rankStrategy"],
    isFlaggedFirst: w.isFlaggedFirst,
    maxSimilarity: w.maxSimilarity,
    randomShare: w.randomShare,
    overlapShare: w.overlapShare,
    leaseSeconds: w.leaseSeconds,
    retrainEvery: w.retrainEvery,
  };
  return (
    <>
      <WorkspaceGeneralSettings slug={w.slug} name={w.name} archivedAt={w.archivedAt?.toISOString() ?? null} />
      <SettingsAdmin initial={initial} />
    </>
  );
}
