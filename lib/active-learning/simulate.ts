/**
 * The labelling loop, simulated with a data set's gold labels as the oracle: label a random seed
 * set, then repeatedly train, score the unlabelled pool, let the strategy pick a batch, "label" it
 * and retrain, measuring the held-out macro-F1 after every round. The learner is injected, so this
 * stays pure and the benchmark plugs in the app's trainer.
 */
import type { TSparseRows } from "@/lib/model/featurize.ts";
import type { TCurvePoint } from "./curve.ts";
import { selectBatch, type TAlStrategy, type TSelection } from "./select.ts";

export type TLearner<TModel> = {
  /** train on these pool rows (their gold labels) */
  fit: (rows: Int32Array) => TModel;
  /** probabilities for these pool rows, row-major, `classes` per row */
  predictPool: (model: TModel, rows: Int32Array) => Float32Array;
  /** macro-F1 on the held-out test split */
  evaluate: (model: TModel) => number;
};

export type TSimulationInput<TModel> = {
  poolSize: number;
  classes: number;
  nonToxicIndex: number;
  strategy: TAlStrategy;
  initialLabels: number;
  batchSize: number;
  maxLabels: number;
  rand: () => number;
  /** excerpt id the queue would hash for a pool row */
  idOf: (row: number) => string;
  learner: TLearner<TModel>;
  threshold?: number;
  randomShare?: number;
  /** the pool's features, for strategies that space out near-duplicates */
  features?: TSparseRows;
  /** picks the next batch instead of `strategy` (experiments with candidate orderings); gets the training rows too */
  selector?: (input: { pool: Int32Array; probs: Float32Array; batchSize: number; training: readonly number[] }) => TSelection;
  onRound?: (point: TRoundPoint) => void;
};

export type TRoundPoint = TCurvePoint & {
  /** labels the model was trained on: audit-slice labels are gold and stay out of training */
  trainLabels: number;
  auditLabels: number;
};

/** Fisher–Yates sample of `k` distinct rows out of [0, n). */
export function sampleRows(n: number, k: number, rand: () => number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const take = Math.min(k, n);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.slice(0, take);
}

export function simulateActiveLearning<TModel>(input: TSimulationInput<TModel>): TRoundPoint[] {
  const { poolSize, classes, learner, batchSize } = input;
  if (!(input.initialLabels > 0) || !(batchSize > 0)) throw new RangeError("initialLabels and batchSize must be positive");
  const maxLabels = Math.min(input.maxLabels, poolSize);
  const isLabelled = new Uint8Array(poolSize);
  const training: number[] = [];
  let labelled = 0;
  let audited = 0;
  // The seed set is imported labelled data: it trains, whatever the strategy.
  for (const row of sampleRows(poolSize, input.initialLabels, input.rand)) {
    isLabelled[row] = 1;
    training.push(row);
    labelled++;
  }
  const curve: TRoundPoint[] = [];
  for (;;) {
    const model = learner.fit(Int32Array.from(training));
    const point = { labels: labelled, f1: learner.evaluate(model), trainLabels: training.length, auditLabels: audited };
    curve.push(point);
    input.onRound?.(point);
    if (labelled >= maxLabels) break;
    const pool: number[] = [];
    for (let r = 0; r < poolSize; r++) if (!isLabelled[r]) pool.push(r);
    const poolRows = Int32Array.from(pool);
    const probs = input.strategy === "random" && !input.selector ? new Float32Array(poolRows.length * classes) : learner.predictPool(model, poolRows);
    const batch = Math.min(batchSize, maxLabels - labelled);
    const picked = input.selector
      ? input.selector({ pool: poolRows, probs, batchSize: batch, training })
      : selectBatch({
          pool: poolRows,
          probs,
          classes,
          nonToxicIndex: input.nonToxicIndex,
          strategy: input.strategy,
          batchSize: batch,
          rand: input.rand,
          idOf: input.idOf,
          threshold: input.threshold,
          randomShare: input.randomShare,
          features: input.features,
        });
    for (let i = 0; i < picked.rows.length; i++) {
      const row = picked.rows[i];
      isLabelled[row] = 1;
      labelled++;
      if (picked.isAudit[i]) audited++;
      else training.push(row);
    }
    if (picked.rows.length === 0) break;
  }
  return curve;
}
