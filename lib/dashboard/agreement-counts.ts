/**
 * Agreement statistics from pre-counted rater pairs (the dash_agreement_pairs rollup), so the
 * dashboard never loads individual ratings. Same definitions as lib/metrics/agreement.ts, which
 * works from raw ratings; agreement-counts.test.ts checks both give the same numbers.
 */
import type { TAlpha } from "../metrics/index.ts";

export type TPairCountRow = {
  raterA: number;
  raterB: number;
  labelA: number;
  labelB: number;
  /** unit pairs with this (labelA, labelB) */
  n: number;
  /** the same, each weighted by 1/(m − 1) for a unit with m raters (coincidence counts) */
  w: number;
};

export type TPairAgreement = { raterA: number; raterB: number; items: number; agreed: number; kappa: number | null };

/** Cohen's kappa per pair of raters (raterA < raterB) from their label contingency counts. */
export function pairKappasFromCounts(rows: readonly TPairCountRow[]): TPairAgreement[] {
  const pairs = new Map<
    string,
    { raterA: number; raterB: number; cells: Map<string, number>; rows: Map<number, number>; cols: Map<number, number>; n: number; agreed: number }
  >();
  for (const r of rows) {
    if (r.raterA >= r.raterB) continue;
    const key = `${r.raterA}|${r.raterB}`;
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { raterA: r.raterA, raterB: r.raterB, cells: new Map(), rows: new Map(), cols: new Map(), n: 0, agreed: 0 }));
    p.n += r.n;
    if (r.labelA === r.labelB) p.agreed += r.n;
    p.rows.set(r.labelA, (p.rows.get(r.labelA) ?? 0) + r.n);
    p.cols.set(r.labelB, (p.cols.get(r.labelB) ?? 0) + r.n);
  }
  return [...pairs.values()]
    .map((p) => {
      // expected disagreement under independent marginals, as sklearn's cohen_kappa_score
      let expectedAgree = 0;
      for (const [label, rowTotal] of p.rows) expectedAgree += (rowTotal * (p.cols.get(label) ?? 0)) / p.n;
      const expectedDisagree = p.n - expectedAgree;
      const observedDisagree = p.n - p.agreed;
      return {
        raterA: p.raterA,
        raterB: p.raterB,
        items: p.n,
        agreed: p.agreed,
        kappa: p.n === 0 || expectedDisagree <= 1e-12 ? null : 1 - observedDisagree / expectedDisagree,
      };
    })
    .sort((a, b) => a.raterA - b.raterA || a.raterB - b.raterB);
}

/**
 * Krippendorff's alpha (nominal) from coincidence counts o_ck (all ordered rater pairs, weighted
 * 1/(m−1)); `pairableUnits` (excerpts with ≥ 2 raters) is counted by the caller. With `category`, the one-vs-rest alpha for that category (values collapse to c / not c).
 */
export function alphaFromCounts(rows: readonly TPairCountRow[], opts: { category?: number; pairableUnits: number }): TAlpha {
  const { category, pairableUnits } = opts;
  const valueFor = (label: number) => (category === undefined ? label : label === category ? 1 : 0);
  const totals = new Map<number, number>();
  let n = 0;
  let offDiagonal = 0;
  for (const r of rows) {
    const a = valueFor(r.labelA);
    const b = valueFor(r.labelB);
    totals.set(a, (totals.get(a) ?? 0) + r.w);
    n += r.w;
    if (a !== b) offDiagonal += r.w;
  }
  // w sums to whole numbers in exact arithmetic; round away float dust from the 1/(m−1) weights
  n = Math.round(n * 1e9) / 1e9;
  if (n === 0) return { alpha: null, pairableUnits, pairableValues: 0, observedDisagreement: null, expectedDisagreement: null };
  let totalsSquares = 0;
  for (const t of totals.values()) totalsSquares += t * t;
  const observedDisagreement = offDiagonal / n;
  const expectedDisagreement = n > 1 ? (n * n - totalsSquares) / (n * (n - 1)) : 0;
  return {
    alpha: Math.abs(expectedDisagreement) < 1e-12 ? null : 1 - observedDisagreement / expectedDisagreement,
    pairableUnits,
    pairableValues: n,
    observedDisagreement,
    expectedDisagreement,
  };
}
