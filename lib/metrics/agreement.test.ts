import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { cohenKappa, krippendorffAlphaNominal, krippendorffAlphaPerCategory, pairwiseCohenKappa, ratingsToUnits, type TRating } from "./agreement.ts";

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C (null = missing)
const PAPER: (number | null)[][] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];
const PAPER_UNITS = PAPER[0].map((_, u) => PAPER.map((row) => row[u]));

describe("cohenKappa", () => {
  it("matches a hand computation: po = 3/4, pe = 1/2 → κ = 0.5", () => {
    expect(cohenKappa([0, 0, 1, 1], [0, 1, 1, 1])).toBeCloseTo(0.5, 15);
  });

  it("is 1 for perfect agreement, −1 for balanced total disagreement, and symmetric", () => {
    expect(cohenKappa(["a", "b", "c"], ["a", "b", "c"])).toBe(1);
    expect(cohenKappa([0, 1, 0, 1], [1, 0, 1, 0])).toBe(-1);
    const a = [0, 1, 2, 2, 1, 0, 2];
    const b = [0, 2, 2, 1, 1, 0, 0];
    expect(cohenKappa(a, b)).toBeCloseTo(cohenKappa(b, a)!, 15);
  });

  it("is undefined (null) when both raters used one label only, or there are no items", () => {
    expect(cohenKappa([2, 2], [2, 2])).toBeNull();
    expect(cohenKappa([], [])).toBeNull();
  });
});

describe("pairwiseCohenKappa", () => {
  const ratings: TRating<string>[] = [
    { unit: 1, rater: "ann", label: "hate" },
    { unit: 1, rater: "bob", label: "hate" },
    { unit: 2, rater: "ann", label: "none" },
    { unit: 2, rater: "bob", label: "hate" },
    { unit: 3, rater: "ann", label: "none" },
    { unit: 3, rater: "bob", label: "none" },
    { unit: 4, rater: "cy", label: "none" },
    { unit: 4, rater: "ann", label: "none" },
  ];

  it("compares each pair on the items both rated and omits pairs with none in common", () => {
    const pairs = pairwiseCohenKappa(ratings);
    expect(pairs.map((p) => [p.raterA, p.raterB, p.items, p.agreed])).toEqual([
      ["ann", "bob", 3, 2],
      ["ann", "cy", 1, 1],
    ]);
    expect(pairs[0].kappa).toBeCloseTo(cohenKappa(["hate", "none", "none"], ["hate", "hate", "none"])!, 15);
    expect(pairs[1].kappa).toBeNull();
  });

  it("refuses a rater who rated the same item twice, naming the rating", () => {
    const twice = [...ratings, { unit: 3, rater: "bob", label: "hate" }];
    expect(() => pairwiseCohenKappa(twice)).toThrow(AppError);
    expect(() => pairwiseCohenKappa(twice)).toThrow(/rating 8: rater bob rated unit 3 twice/);
  });
});

describe("krippendorffAlphaNominal", () => {
  it("reproduces the paper's worked example: α = 0.743 over n = 40 pairable values", () => {
    const r = krippendorffAlphaNominal(PAPER_UNITS);
    expect(r.alpha!.toFixed(3)).toBe("0.743");
    expect(r.pairableValues).toBe(40);
    // unit 12 has a single value and carries no pairable information
    expect(r.pairableUnits).toBe(11);
  });

  it("matches a hand computation on three units", () => {
    // o_aa = 2, o_ab = o_ba = 1, o_bb = 2; n_a = n_b = 3; α = 1 − 5·2 / (36 − 18) = 4/9
    expect(
      krippendorffAlphaNominal([
        ["a", "a"],
        ["a", "b"],
        ["b", "b"],
      ]).alpha,
    ).toBeCloseTo(4 / 9, 15);
  });

  it("is 1 for perfect agreement and undefined without variation or pairs", () => {
    expect(
      krippendorffAlphaNominal([
        [1, 1, 1],
        [2, 2],
        [3, 3, null],
      ]).alpha,
    ).toBe(1);
    expect(
      krippendorffAlphaNominal([
        [1, 1],
        [1, 1, 1],
      ]).alpha,
    ).toBeNull();
    expect(krippendorffAlphaNominal([[1], [2], []])).toMatchObject({ alpha: null, pairableUnits: 0, pairableValues: 0 });
  });

  it("ignores the order of raters inside a unit and missing entries", () => {
    const a = krippendorffAlphaNominal([
      [1, 2, null],
      [2, 2, 1],
      [3, null, 3],
    ]).alpha;
    const b = krippendorffAlphaNominal([
      [2, 1],
      [1, 2, 2],
      [3, 3],
    ]).alpha;
    expect(a).toBeCloseTo(b!, 15);
  });

  it("is below 0 when raters disagree more than chance", () => {
    expect(
      krippendorffAlphaNominal([
        [1, 2],
        [2, 1],
        [1, 2],
        [2, 1],
      ]).alpha!,
    ).toBeLessThan(0);
  });
});

describe("krippendorffAlphaPerCategory", () => {
  it("equals the overall alpha for each of two categories (one-vs-rest of a binary scale)", () => {
    const units = [
      ["x", "x"],
      ["x", "y"],
      ["y", "y"],
      ["y", "y", "x"],
    ];
    const overall = krippendorffAlphaNominal(units).alpha!;
    for (const { result } of krippendorffAlphaPerCategory(units)) expect(result.alpha).toBeCloseTo(overall, 15);
  });

  it("lists the categories seen, sorted, when none are given", () => {
    expect(krippendorffAlphaPerCategory(PAPER_UNITS).map((r) => r.category)).toEqual([1, 2, 3, 4, 5]);
  });

  it("groups ratings into units first with ratingsToUnits", () => {
    const units = ratingsToUnits([
      { unit: "e1", rater: 1, label: "hate" },
      { unit: "e1", rater: 2, label: "none" },
      { unit: "e2", rater: 1, label: "none" },
    ]);
    expect(units).toEqual([["hate", "none"], ["none"]]);
  });
});

describe("ids", () => {
  it("accepts Prisma's BigInt ids for units and raters", () => {
    const pairs = pairwiseCohenKappa([
      { unit: 1n, rater: 10n, label: "hate" },
      { unit: 1n, rater: 11n, label: "hate" },
      { unit: 2n, rater: 10n, label: "none" },
      { unit: 2n, rater: 11n, label: "hate" },
    ]);
    expect(pairs).toMatchObject([{ raterA: 10n, raterB: 11n, items: 2, agreed: 1 }]);
    expect(() =>
      ratingsToUnits([
        { unit: 1n, rater: 2n, label: 0 },
        { unit: 1n, rater: 2n, label: 1 },
      ]),
    ).toThrow(/twice/);
  });
});
