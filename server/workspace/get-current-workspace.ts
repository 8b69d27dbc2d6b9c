import { AppError } from "@/lib/errors.ts";
import { db } from "../db/client.ts";

export type TCurrentWorkspace = {
  id: number;
  slug: string;
  name: string;
  flagThreshold: number;
  rankStrategy: string;
  isFlaggedFirst: boolean;
  maxSimilarity: number | null;
  randomShare: number;
  overlapShare: number;
  leaseSeconds: number;
  claimBatchSize: number;
  /** automatic retrain after this many new labels; null = off */
  retrainEvery: number | null;
  activeModelVersionId: number | null;
};

/**
 * Single-workspace mode for now: the "default" workspace if it exists, else the oldest one.
 * Every server function takes a workspaceId, so moving to per-user workspaces only changes this file.
 */
export async function getCurrentWorkspace(): Promise<TCurrentWorkspace> {
  const prisma = db();
  const workspace =
    (await prisma.workspace.findUnique({ where: { slug: "default" } })) ??
    (await prisma.workspace.findFirst({ orderBy: { id: "asc" } }));
  if (!workspace) throw new AppError("NOT_FOUND", "No workspace exists yet. Run `npm run db:seed` or import data first.");
  return {
    id: workspace.id,
    slug: workspace.slug,
    name: workspace.name,
    flagThreshold: workspace.flagThreshold,
    rankStrategy: workspace.rankStrategy,
    isFlaggedFirst: workspace.isFlaggedFirst,
    maxSimilarity: workspace.maxSimilarity,
    randomShare: workspace.randomShare,
    overlapShare: workspace.overlapShare,
    leaseSeconds: workspace.leaseSeconds,
    claimBatchSize: workspace.claimBatchSize,
    retrainEvery: workspace.retrainEvery,
    activeModelVersionId: workspace.activeModelVersionId,
  };
}
