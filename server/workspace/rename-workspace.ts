import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";

/** Renames a workspace. Its slug stays, so links already shared keep working. */
export async function renameWorkspace({ workspaceId, name }: { workspaceId: number; name: string }): Promise<{ slug: string; name: string }> {
  const updated = await db().workspace.updateMany({ where: { id: workspaceId }, data: { name } });
  if (updated.count === 0) throw new AppError("NOT_FOUND", `Workspace ${workspaceId} does not exist.`);
  const workspace = await db().workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { slug: true, name: true } });
  return workspace;
}
