import { describe, expect, it } from "vitest";
import { krippendorffAlphaNominal, krippendorffAlphaPerCategory, pairwiseCohenKappa, type TRating } from "../metrics/index.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { alphaFromCounts, pairKappasFromCounts, type TPairCountRow } from "./agreement-counts.ts";

/** What the dash_agreement_pairs rollup computes in SQL, done in memory from raw ratings. */
function pairCounts(ratings: TRating<number>[]): TPairCountRow[] {
  const byUnit = new Map<string | number, TRating<number>[]>();
  for (const r of ratings) byUnit.set(r.unit as string | number, [...(byUnit.get(r.unit as string | number) ?? []), r]);
  const acc = new Map<string, TPairCountRow>();
  for (const unit of byUnit.values()) {
    if (unit.length < 2) continue;
    for (const a of unit)
      for (const b of unit) {
        if (a.rater === b.rater) continue;
        const key = `${a.rater}|${b.rater}|${a.label}|${b.label}`;
        const row = acc.get(key) ?? { raterA: Number(a.rater), raterB: Number(b.rater), labelA: a.label, labelB: b.label, n: 0, w: 0 };
        row.n += 1;
        row.w += 1 / (unit.length - 1);
        acc.set(key, row);
      }
  }
  return [...acc.values()];
}

function randomRatings(seed: number, units: number, raters: number, labels: number): TRating<number>[] {
  const rand = seededRandom(seed);
  const out: TRating<number>[] = [];
  for (let u = 0; u < units; u++) {
    const truth = Math.floor(rand() * labels);
    const m = 2 + Math.floor(rand() * 3); // 2–4 raters per unit
    const chosen = new Set<number>();
    while (chosen.size < Math.min(m, raters)) chosen.add(1 + Math.floor(rand() * raters));
    for (const rater of chosen) out.push({ unit: u, rater, label: rand() < 0.7 ? truth : Math.floor(rand() * labels) });
  }
  return out;
}

describe("agreement from pre-counted pairs equals agreement from raw ratings", () => {
  for (const seed of [1, 2, 3]) {
    it(`matches lib/metrics on random ratings (seed ${seed})`, () => {
      const ratings = randomRatings(seed, 300, 6, 4);
      const rows = pairCounts(ratings);
      const units = [...new Set(ratings.map((r) => r.unit))].map((u) => ratings.filter((r) => r.unit === u).map((r) => r.label));

      const expected = krippendorffAlphaNominal(units);
      const actual = alphaFromCounts(rows, { pairableUnits: expected.pairableUnits });
      expect(actual.alpha!).toBeCloseTo(expected.alpha!, 10);
      expect(actual.pairableValues).toBeCloseTo(expected.pairableValues, 9);

      for (const { category, result } of krippendorffAlphaPerCategory(units, [0, 1, 2, 3])) {
        expect(alphaFromCounts(rows, { category, pairableUnits: result.pairableUnits }).alpha!).toBeCloseTo(result.alpha!, 10);
      }

      const kappas = pairKappasFromCounts(rows);
      const reference = pairwiseCohenKappa(ratings);
      expect(kappas).toHaveLength(reference.length);
      for (const k of kappas) {
        const ref = reference.find((r) => Number(r.raterA) === k.raterA && Number(r.raterB) === k.raterB)!;
        expect(k.items).toBe(ref.items);
        expect(k.agreed).toBe(ref.agreed);
        expect(k.kappa!).toBeCloseTo(ref.kappa!, 10);
      }
    });
  }

  it("returns null where agreement is undefined", () => {
    expect(alphaFromCounts([], { pairableUnits: 0 }).alpha).toBeNull();
    // both raters always say the same single label: no expected disagreement
    const rows: TPairCountRow[] = [
      { raterA: 1, raterB: 2, labelA: 5, labelB: 5, n: 3, w: 3 },
      { raterA: 2, raterB: 1, labelA: 5, labelB: 5, n: 3, w: 3 },
    ];
    expect(alphaFromCounts(rows, { pairableUnits: 3 }).alpha).toBeNull();
    expect(pairKappasFromCounts(rows)).toEqual([{ raterA: 1, raterB: 2, items: 3, agreed: 3, kappa: null }]);
  });
});
