/**
 * Inter-annotator agreement: Cohen's kappa (sklearn cohen_kappa_score, unweighted) per pair of
 * moderators on the items both labelled, and Krippendorff's alpha for nominal data with missing
 * ratings and any number of raters, overall and per category (one-vs-rest).
 *
 * Krippendorff's alpha follows the coincidence-matrix definition in K. Krippendorff, "Computing
 * Krippendorff's Alpha-Reliability" (2011, Annenberg School for Communication, Departmental
 * Papers 43), section C: α = 1 − D_o / D_e with
 *   o_ck = Σ_u Σ_{i≠j in u} [v_i = c][v_j = k] / (m_u − 1)   over units with m_u ≥ 2 ratings,
 *   n_c = Σ_k o_ck,  n = Σ_c n_c,
 *   D_o = Σ_{c≠k} o_ck / n,   D_e = Σ_{c≠k} n_c n_k / (n (n − 1)).
 */
import { AppError } from "../errors.ts";
import { assertSameLength } from "./binary.ts";
import { type TLabel, confusionMatrix, uniqueSortedLabels } from "./multiclass.ts";

/**
 * sklearn cohen_kappa_score(y1, y2) (weights=None). Returns null where sklearn's result is
 * undefined (NaN): no items, or both raters used one and the same label throughout.
 */
export function cohenKappa<T extends TLabel>(y1: ArrayLike<T>, y2: ArrayLike<T>, labels?: readonly T[]): number | null {
  assertSameLength(y1, y2, "cohenKappa");
  const { matrix } = confusionMatrix(y1, y2, labels ?? uniqueSortedLabels(y1, y2));
  const k = matrix.length;
  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = matrix[0]?.map((_, j) => matrix.reduce((a, row) => a + row[j], 0)) ?? [];
  const total = rowSums.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      observed += matrix[i][j];
      expected += (rowSums[i] * colSums[j]) / total;
    }
  }
  if (expected === 0) return null;
  return 1 - observed / expected;
}

/** Prisma's BigInt ids can be passed as they are. */
export type TRaterId = string | number | bigint;

export type TRating<T extends TLabel = TLabel> = {
  /** the rated item (excerpt id) */
  unit: TRaterId;
  /** who rated it (moderator id) */
  rater: TRaterId;
  label: T;
};

function assertNoDuplicateRatings<T extends TLabel>(ratings: readonly TRating<T>[]): void {
  const seen = new Set<string>();
  ratings.forEach((r, i) => {
    const key = `${typeof r.unit}:${r.unit}\u0000${typeof r.rater}:${r.rater}`;
    if (seen.has(key)) {
      throw new AppError("BAD_INPUT", `rating ${i}: rater ${String(r.rater)} rated unit ${String(r.unit)} twice; keep one decision per rater and item`);
    }
    seen.add(key);
  });
}

export type TPairKappa = {
  raterA: TRaterId;
  raterB: TRaterId;
  /** items both raters labelled */
  items: number;
  /** items on which they chose the same label */
  agreed: number;
  kappa: number | null;
};

/**
 * Cohen's kappa for every pair of raters over the units both rated. Pairs that share no unit are
 * left out. Raters are ordered as strings so the output is stable; kappa is symmetric anyway.
 */
export function pairwiseCohenKappa<T extends TLabel>(ratings: readonly TRating<T>[], labels?: readonly T[]): TPairKappa[] {
  assertNoDuplicateRatings(ratings);
  const byUnit = new Map<string, TRating<T>[]>();
  for (const r of ratings) {
    const key = `${typeof r.unit}:${r.unit}`;
    let list = byUnit.get(key);
    if (!list) byUnit.set(key, (list = []));
    list.push(r);
  }
  const order = (a: TRaterId, b: TRaterId) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
  // Only units rated by two or more raters contribute, so walking units (not rater pairs) costs
  // Σ m_u² instead of raters² × items: cheap when, as in the app, a small share is double-rated.
  const pairs = new Map<string, { raterA: TRaterId; raterB: TRaterId; y1: T[]; y2: T[] }>();
  for (const list of byUnit.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => order(a.rater, b.rater));
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const key = `${typeof list[a].rater}:${list[a].rater}\u0000${typeof list[b].rater}:${list[b].rater}`;
        let pair = pairs.get(key);
        if (!pair) pairs.set(key, (pair = { raterA: list[a].rater, raterB: list[b].rater, y1: [], y2: [] }));
        pair.y1.push(list[a].label);
        pair.y2.push(list[b].label);
      }
    }
  }
  return [...pairs.values()]
    .sort((p1, p2) => order(p1.raterA, p2.raterA) || order(p1.raterB, p2.raterB))
    .map(({ raterA, raterB, y1, y2 }) => ({
      raterA,
      raterB,
      items: y1.length,
      agreed: y1.filter((l, i) => l === y2[i]).length,
      kappa: cohenKappa(y1, y2, labels),
    }));
}

/** Group ratings into units (the values given to each item), the form alpha works on. */
export function ratingsToUnits<T extends TLabel>(ratings: readonly TRating<T>[]): T[][] {
  assertNoDuplicateRatings(ratings);
  const units = new Map<string, T[]>();
  for (const r of ratings) {
    const key = `${typeof r.unit}:${r.unit}`;
    let values = units.get(key);
    if (!values) units.set(key, (values = []));
    values.push(r.label);
  }
  return [...units.values()];
}

export type TAlpha = {
  /** null when undefined: no unit has two ratings, or every pairable rating has the same value */
  alpha: number | null;
  /** units with at least two ratings (the only ones that carry information on agreement) */
  pairableUnits: number;
  /** n: the number of pairable values */
  pairableValues: number;
  observedDisagreement: number | null;
  expectedDisagreement: number | null;
};

/**
 * Krippendorff's alpha for nominal data. `units[u]` lists the values the raters gave unit u;
 * missing ratings are simply absent (null/undefined entries are skipped too), so any number of
 * raters and any pattern of missing data is allowed.
 */
export function krippendorffAlphaNominal<T extends TLabel>(units: ReadonlyArray<ReadonlyArray<T | null | undefined>>): TAlpha {
  const valueTotals = new Map<T, number>();
  let pairableUnits = 0;
  let n = 0;
  // Σ_{c≠k} o_ck: per unit, the off-diagonal pair count (m² − Σ n_uc²) divided by (m − 1)
  let observedOffDiagonal = 0;
  for (const unit of units) {
    const counts = new Map<T, number>();
    let m = 0;
    for (const v of unit) {
      if (v === null || v === undefined) continue;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      m++;
    }
    if (m < 2) continue;
    pairableUnits++;
    n += m;
    let sumSquares = 0;
    for (const [v, c] of counts) {
      sumSquares += c * c;
      valueTotals.set(v, (valueTotals.get(v) ?? 0) + c);
    }
    observedOffDiagonal += (m * m - sumSquares) / (m - 1);
  }
  if (n === 0) {
    return { alpha: null, pairableUnits, pairableValues: 0, observedDisagreement: null, expectedDisagreement: null };
  }
  let totalsSquares = 0;
  for (const c of valueTotals.values()) totalsSquares += c * c;
  const observedDisagreement = observedOffDiagonal / n;
  const expectedDisagreement = (n * n - totalsSquares) / (n * (n - 1));
  return {
    alpha: expectedDisagreement === 0 ? null : 1 - observedDisagreement / expectedDisagreement,
    pairableUnits,
    pairableValues: n,
    observedDisagreement,
    expectedDisagreement,
  };
}

/**
 * Alpha for each category on its own: every rating becomes "is it this category?", so a manager
 * sees which categories moderators apply consistently. Categories default to all values seen.
 */
export function krippendorffAlphaPerCategory<T extends TLabel>(
  units: ReadonlyArray<ReadonlyArray<T | null | undefined>>,
  categories?: readonly T[],
): { category: T; result: TAlpha }[] {
  const cats = categories ?? uniqueSortedLabels(...units.map((u) => u.filter((v): v is T => v !== null && v !== undefined)));
  return cats.map((category) => ({
    category,
    result: krippendorffAlphaNominal(units.map((u) => u.map((v) => (v === null || v === undefined ? null : v === category ? 1 : 0)))),
  }));
}
