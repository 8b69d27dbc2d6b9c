import { AppError } from "@/lib/errors.ts";
import { evaluateModelVersion } from "../evaluation/evaluate-model-version.ts";
import type { TPromotionCheck } from "@/lib/evaluation/contract.ts";
import { compareWithActive } from "../evaluation/compare-with-active.ts";
import { readVersionFacts } from "../evaluation/read-version-facts.ts";
import { enqueueRequeue, enqueueScoring } from "../jobs/enqueue.ts";
import { afterCommit, inTransaction, queryRunner } from "../db/transaction.ts";
import { activateVersion, assertExpectedActive } from "./activate-version.ts";
import type { TPromoteModelVersionResult } from "@/lib/registry/contract.ts";

export type TPromoteModelVersionOptions = {
  workspaceId: number;
  modelVersionId: number;
  /** the user saw the worse-than-active warning and promotes anyway */
  isConfirmed?: boolean;
  /** skip the gold-set comparison (rollback: the version was active before) */
  isRollback?: boolean;
  /** the comparison the caller has just made for this version (automatic promotion), not made twice */
  check?: TPromotionCheck;
  /** the active version the user saw (null: none); set, a different one answers CONFLICT (see activateVersion) */
  expectedActiveId?: number | null;
};

/**
 * Makes a version the one that serves: active, the previous active archived, the workspace pointed
 * at it. Moderators are never blocked: the switch is one short transaction, and re-scoring new
 * excerpts and re-ranking the open queue happen in background jobs (until they finish, open items
 * keep the previous ranking). A version that scores worse than the active one on the gold set is
 * refused with CONFLICT (details: the comparison) unless the caller confirms.
 */
export async function promoteModelVersion(options: TPromoteModelVersionOptions): Promise<TPromoteModelVersionResult> {
  const { workspaceId, modelVersionId } = options;
  await assertExpectedActive(queryRunner(), { workspaceId, expectedActiveId: options.expectedActiveId });
  const version = await readVersionFacts({ modelVersionId, workspaceId });
  if (version.status === "active") throw new AppError("CONFLICT", `${version.version} is already the active version.`);
  let check: TPromotionCheck | null = null;
  if (!options.isRollback) {
    check = options.check?.modelVersionId === modelVersionId ? options.check : await compareWithActive({ modelVersionId, workspaceId });
    if (check.isWorse && !options.isConfirmed) {
      const c = check.comparison!;
      throw new AppError(
        "CONFLICT",
        `${version.version} scores worse than the active ${check.activeVersion} on the ${c.n} gold labels (binary F1 ${c.binaryF1.candidate.toFixed(3)} vs ${c.binaryF1.active.toFixed(3)}, macro F1 ${c.macroF1.candidate.toFixed(3)} vs ${c.macroF1.active.toFixed(3)}). Confirm to promote it anyway.`,
        check,
      );
    }
  }
  const { previousActiveId } = await inTransaction((client) =>
    activateVersion(client, { workspaceId, modelVersionId, expectedActiveId: options.expectedActiveId }),
  );
  // After the commit (inside an idempotent request it is the request's): the workers must see the new
  // active version, and evaluating writes the row this transaction has just updated.
  await afterCommit(async () => {
    // New excerpts (and everything this version has not scored) get its predictions and queue ranks;
    // open items it already scored (as a shadow, or when it was active before) are re-ranked.
    await enqueueScoring(workspaceId);
    await enqueueRequeue(workspaceId);
    // The active version is the yardstick every candidate's Δ is read against: make sure it has numbers.
    if (!version.metrics.evaluation)
      await evaluateModelVersion({ modelVersionId }).catch((err: Error) => console.error(`[registry] evaluating ${version.version}: ${err.message}`));
  });
  return { modelVersionId, previousActiveId, check };
}
