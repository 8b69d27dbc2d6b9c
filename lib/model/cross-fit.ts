import { normaliseText } from "../export/normalise.ts";
import { unitHash53 } from "../random/hash.ts";
import { SplitPlanner } from "../export/split.ts";

/**
 * Cross-fitting folds for out-of-fold probabilities. An example's out-of-fold probability must come
 * from a model that saw neither it nor anything that gives it away, so folds are made of the same
 * groups as the export's splits (lib/export/split.ts): a conversation and every near-duplicate of a
 * line (normalised text, lib/export/normalise.ts) stay in one fold, with the same rule for stock
 * phrases ("gg", "lol") seen in many conversations, which keep their copies together without welding
 * those conversations into one group. Groups are then dealt greedily so that every fold holds about 1/k
 * of every class (a stratified group k-fold, as scikit-learn's StratifiedGroupKFold aims for).
 * Deterministic for the same rows and seed.
 */

export type TCrossFitRow = {
  /** stable identity (the excerpt id) */
  key: string;
  conversation: string | null;
  text: string;
  /** class index, the stratum */
  label: number;
};

/**
 * k = 5: each fold model learns from 80% of the labels, close enough to the final model for its
 * probabilities to stand in for it, at k + 1 = 6 fits in all (bench/results/trust.json: training time).
 */
export const DEFAULT_FOLDS = 5;
/** the export's hub threshold: a text in more conversations than this does not join them */
export const MAX_CONVERSATIONS_PER_TEXT = 20;

export function assignFolds(rows: readonly TCrossFitRow[], opts: { k?: number; seed?: string } = {}): Int32Array {
  const k = opts.k ?? DEFAULT_FOLDS;
  const seed = opts.seed ?? "cross-fit";
  if (!Number.isInteger(k) || k < 2) throw new Error(`k must be an integer ≥ 2, got ${k}`);
  const planner = new SplitPlanner({ ratios: { train: 1, validation: 0, test: 0 }, seed, maxConversationsPerText: MAX_CONVERSATIONS_PER_TEXT });
  for (const row of rows)
    planner.add({ key: row.key, conversation: row.conversation, normalisedText: normaliseText(row.text), stratum: row.label, forced: null });
  const groupOf = planner.finishGroups();
  const n = rows.length;
  const groups = n === 0 ? 0 : Math.max(...groupOf) + 1;
  const firstRow = new Int32Array(groups).fill(-1);
  const size = new Int32Array(groups);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i];
    if (firstRow[g] < 0) firstRow[g] = i;
    size[g]++;
  }
  // class counts of each group (groups mix labels: a conversation holds toxic and non-toxic lines)
  const K = rows.reduce((m, r) => Math.max(m, r.label + 1), 0);
  const groupClass = new Float64Array(groups * K);
  const classTotal = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    groupClass[groupOf[i] * K + rows[i].label]++;
    classTotal[rows[i].label]++;
  }
  // Largest groups first (they are the hard ones to place), then a seeded hash order. Each goes to the
  // fold where it adds least to Σ_c (fold count of c / class total of c)², i.e. to the folds short of
  // its classes: every class ends up spread about evenly, the rare ones included.
  const hash = Float64Array.from(firstRow, (i) => unitHash53(rows[i].key, seed));
  const order = Array.from({ length: groups }, (_, g) => g);
  order.sort((a, b) => size[b] - size[a] || hash[a] - hash[b] || firstRow[a] - firstRow[b]);
  const foldOfGroup = new Int32Array(groups);
  const foldClass = new Float64Array(k * K);
  const foldSize = new Float64Array(k);
  for (const g of order) {
    let best = 0;
    let bestCost = Infinity;
    for (let f = 0; f < k; f++) {
      let cost = 0;
      for (let c = 0; c < K; c++) {
        const add = groupClass[g * K + c];
        if (add > 0) cost += (foldClass[f * K + c] * add) / (classTotal[c] * classTotal[c]);
      }
      if (cost < bestCost - 1e-15 || (Math.abs(cost - bestCost) <= 1e-15 && foldSize[f] < foldSize[best])) {
        bestCost = cost;
        best = f;
      }
    }
    foldOfGroup[g] = best;
    foldSize[best] += size[g];
    for (let c = 0; c < K; c++) foldClass[best * K + c] += groupClass[g * K + c];
  }
  return Int32Array.from(groupOf, (g) => foldOfGroup[g]);
}
