import { AppError } from "@/lib/errors.ts";
import type { TCalibrationTarget } from "@/lib/evaluation/index.ts";
import { getPool } from "../db/pool.ts";
import { enqueueRequeue } from "../jobs/enqueue.ts";
import { getThresholdTradeoff } from "./get-threshold-tradeoff.ts";
import type { TCalibrateThresholdResult } from "@/lib/evaluation/contract.ts";

/**
 * Picks the flag threshold that meets a precision or recall target on the gold set (active model)
 * and applies it to the workspace; the open queue is then re-flagged in the background. Refuses,
 * changing nothing, when no cut reaches the target, and says how close the best one comes.
 */
export async function calibrateThreshold(options: { workspaceId: number; target: TCalibrationTarget }): Promise<TCalibrateThresholdResult> {
  const { workspaceId, target } = options;
  if (!(target.atLeast > 0 && target.atLeast <= 1)) throw new AppError("VALIDATION", `The target ${target.metric} must lie in (0, 1]; got ${target.atLeast}.`);
  const tradeoff = await getThresholdTradeoff({ workspaceId, target });
  if (tradeoff.n === 0 || tradeoff.choice === null) {
    throw new AppError("VALIDATION", "The gold set is empty: import held-out test data or label items from the random audit slice, then calibrate.");
  }
  if (tradeoff.positives === 0 || tradeoff.positives === tradeoff.n) {
    throw new AppError(
      "VALIDATION",
      `The gold set holds only ${tradeoff.positives === 0 ? "non-toxic" : "toxic"} labels (${tradeoff.n}); a threshold cannot be calibrated until it holds both.`,
    );
  }
  const { row, isTargetMet } = tradeoff.choice;
  if (!isTargetMet) {
    throw new AppError(
      "VALIDATION",
      `No threshold reaches ${target.metric} ≥ ${target.atLeast} on the ${tradeoff.n} gold labels; the closest is ${row[target.metric].toFixed(3)} at threshold ${row.threshold.toFixed(3)}. Lower the target or label more audit items.`,
      { closest: row },
    );
  }
  const { rows } = await getPool().query<{ previous: number }>(
    // an admin's choice on the gold set: promotions no longer replace it with a model's default (activate-version.ts)
    `UPDATE workspace w SET flag_threshold = $2, flag_threshold_source = 'admin' FROM workspace old WHERE w.id = $1 AND old.id = w.id RETURNING old.flag_threshold AS previous`,
    [workspaceId, row.threshold],
  );
  const requeue = await enqueueRequeue(workspaceId);
  return { previousThreshold: rows[0].previous, threshold: row.threshold, row, n: tradeoff.n, isRequeued: requeue.jobId !== null || requeue.isAlreadyQueued };
}
