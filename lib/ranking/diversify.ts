/**
 * Near-duplicate spacing for the head of the review queue. Uncertainty sampling alone fills a round
 * of labelling with look-alikes (the same copypasta, a raid's spam, one insult in ten spellings):
 * the model is unsure about all of them for the same reason, and the first label answers the rest.
 * Walking the ranked items top-down, an item whose cosine similarity to one already kept reaches
 * `maxSimilarity` is demoted behind every kept item; the next model, trained with the kept one's
 * label, decides whether its copies still deserve a look.
 *
 * Chosen on validation data (bench/active-learning-tune.ts): margin + spacing at 0.7 needed the
 * fewest labels against random sampling of every candidate ordering (thresholds 0.3 to 0.9 tried). Pure: the queue job and the
 * benchmark's simulation call the same functions.
 */
import type { TSparseRows } from "@/lib/model/featurize.ts";

/** The default similarity at and above which a lower-ranked item counts as a near-duplicate. */
export const DEFAULT_MAX_SIMILARITY = 0.7;

/**
 * Demoted items sit this far below their ranked priority. Uncertainty priorities lie in [0, 3]
 * (flagged tier included), so demoted ones lie in [−4, −1]: below every kept item, in their own order.
 */
export const DEMOTED_OFFSET = 4;

/** The ranked priority of a queue item whether or not it is demoted now (uncertainty strategies). */
export function basePriority(priority: number): number {
  return priority < 0 ? priority + DEMOTED_OFFSET : priority;
}

export type TDiversifyResult = {
  /** rows kept, in the order given */
  kept: number[];
  /** rows demoted as near-duplicates of a kept row, in the order given */
  demoted: number[];
};

/**
 * Greedy top-down pass over `order` (row ids of `features`, best first): keeps a row unless its
 * cosine similarity to a kept row is ≥ maxSimilarity. Stops examining once `limit` rows are kept
 * (the rest are neither kept nor demoted). Rows with no features are always kept. Exact cosine over
 * the sparse rows, with the candidate scattered into a dense buffer, so each comparison costs the
 * kept row's number of features.
 */
export function diversify(order: ArrayLike<number>, features: TSparseRows, maxSimilarity: number, limit = Infinity): TDiversifyResult {
  if (!(maxSimilarity > 0 && maxSimilarity <= 1)) throw new RangeError(`maxSimilarity must be in (0, 1], got ${maxSimilarity}`);
  // sized by the rows actually examined (a benchmark passes its whole pool's features, of which it
  // examines a few hundred rows), grown when a candidate reaches past it; kept rows were candidates
  // first, so the buffer always covers them
  let dense = new Float64Array(1024);
  const normOf = (r: number) => {
    let n = 0;
    for (let j = features.indptr[r]; j < features.indptr[r + 1]; j++) n += features.values[j] * features.values[j];
    return Math.sqrt(n);
  };
  const kept: number[] = [];
  const keptNorms: number[] = [];
  const demoted: number[] = [];
  for (let i = 0; i < order.length && kept.length < limit; i++) {
    const r = order[i];
    if (r < 0 || r >= features.rows) throw new RangeError(`row ${r} is outside the ${features.rows} feature rows`);
    const norm = normOf(r);
    let isDuplicate = false;
    if (norm > 0) {
      let top = 0;
      for (let j = features.indptr[r]; j < features.indptr[r + 1]; j++) top = Math.max(top, features.indices[j] + 1);
      if (top > dense.length) dense = new Float64Array(Math.max(top, dense.length * 2));
      for (let j = features.indptr[r]; j < features.indptr[r + 1]; j++) dense[features.indices[j]] += features.values[j];
      for (let k = 0; k < kept.length && !isDuplicate; k++) {
        const other = kept[k];
        if (keptNorms[k] === 0) continue;
        let dot = 0;
        for (let j = features.indptr[other]; j < features.indptr[other + 1]; j++) dot += dense[features.indices[j]] * features.values[j];
        // a hair of slack so that exact copies count at maxSimilarity 1 despite float rounding
        if (dot / (norm * keptNorms[k]) >= maxSimilarity - 1e-9) isDuplicate = true;
      }
      for (let j = features.indptr[r]; j < features.indptr[r + 1]; j++) dense[features.indices[j]] = 0;
    }
    if (isDuplicate) demoted.push(r);
    else {
      kept.push(r);
      keptNorms.push(norm);
    }
  }
  return { kept, demoted };
}
