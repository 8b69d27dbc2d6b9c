import { createHash } from "node:crypto";

/**
 * A fingerprint of a labelled set (training set or gold set): counts per category and a sha256 over
 * the sorted "excerptId:categoryId" pairs, so two versions can be told apart by what they saw, and
 * a stored evaluation can be recognised as stale when the gold set has changed since.
 */
export type TLabelSetSnapshot = {
  n: number;
  /** category id → number of labels */
  countsByCategory: Record<string, number>;
  sha256: string;
};

export function snapshotLabelSet(items: readonly { excerptId: string; categoryId: number }[]): TLabelSetSnapshot {
  const countsByCategory: Record<string, number> = {};
  for (const it of items) countsByCategory[it.categoryId] = (countsByCategory[it.categoryId] ?? 0) + 1;
  // Sorted numerically by excerpt id so the hash does not depend on query order.
  const lines = items
    .map((it) => [BigInt(it.excerptId), it.categoryId] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([id, c]) => `${id}:${c}`);
  const hash = createHash("sha256");
  for (const line of lines) hash.update(`${line}\n`);
  return { n: items.length, countsByCategory, sha256: hash.digest("hex") };
}
