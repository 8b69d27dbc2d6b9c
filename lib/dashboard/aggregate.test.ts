import { describe, expect, it } from "vitest";
import {
  MIN_LABELS_FOR_POINT,
  accuracyTrends,
  confusionFromRows,
  medianFromHistogram,
  moderatorStats,
  mostCorrected,
  periodStart,
  toCsv,
  toxicityTrends,
  type TAccuracyRow,
  type TCategoryInfo,
} from "./aggregate.ts";

const cats: TCategoryInfo[] = [
  { id: 1, name: "profanity", isNonToxic: false, color: "#f00" },
  { id: 2, name: "harassment", isNonToxic: false, color: "#0f0" },
  { id: 3, name: "non-toxic", isNonToxic: true, color: "#00f" },
];

const row = (day: string, suggested: number, actual: number, n: number, modelVersionId = 1, isAudit = false): TAccuracyRow => ({
  day,
  modelVersionId,
  isAudit,
  suggestedCategoryId: suggested,
  categoryId: actual,
  n,
});

describe("periodStart", () => {
  it("keeps days and maps weeks to their Monday", () => {
    expect(periodStart("2026-11-28", "day")).toBe("2026-11-28");
    expect(periodStart("2026-11-28", "week")).toBe("2026-11-23"); // a Saturday
    expect(periodStart("2026-11-23", "week")).toBe("2026-11-23"); // a Monday
    expect(periodStart("2026-11-29", "week")).toBe("2026-11-23"); // a Sunday belongs to the week before
  });
});

describe("accuracyTrends", () => {
  it("computes agreement and binary P/R/F1 from suggestion vs label counts", () => {
    const rows = [
      row("2026-11-02", 1, 1, 30), // toxic → toxic (same category)
      row("2026-11-02", 1, 2, 10), // toxic → other toxic: binary TP, category miss
      row("2026-11-02", 1, 3, 10), // false positive
      row("2026-11-02", 3, 2, 5), // false negative
      row("2026-11-02", 3, 3, 45), // true negative
    ];
    const [p] = accuracyTrends(rows, cats, "day");
    expect(p.labels).toBe(100);
    expect(p.isThin).toBe(false);
    expect(p.agreement.estimate).toBeCloseTo(0.75, 12);
    // binary: tp = 40, fp = 10, fn = 5
    expect(p.binary.precision.estimate).toBeCloseTo(40 / 50, 12);
    expect(p.binary.recall.estimate).toBeCloseTo(40 / 45, 12);
    expect(p.binary.f1.estimate).toBeCloseTo(80 / 95, 12);
    expect(p.binary.f1.lower).toBeLessThan(p.binary.f1.estimate!);
    // per category: harassment never suggested → precision 0, recall 0 with support 15
    expect(p.perCategory[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 15 });
    expect(p.perCategory[1].precision).toBeCloseTo(30 / 50, 12);
  });

  it("groups by week and model version and marks thin periods", () => {
    const rows = [row("2026-11-23", 1, 1, 5, 1), row("2026-11-27", 1, 3, 5, 1), row("2026-11-27", 1, 1, 50, 2)];
    const points = accuracyTrends(rows, cats, "week");
    expect(points.map((p) => [p.period, p.modelVersionId, p.labels])).toEqual([
      ["2026-11-23", 1, 10],
      ["2026-11-23", 2, 50],
    ]);
    expect(points[0].isThin).toBe(10 < MIN_LABELS_FOR_POINT);
    expect(points[1].isThin).toBe(false);
    // a thin period's interval is wide: that is the point of showing it
    expect(points[0].agreement.upper - points[0].agreement.lower).toBeGreaterThan(0.4);
  });
});

describe("confusion and corrections", () => {
  it("builds the matrix in taxonomy order and ranks the most corrected suggestions", () => {
    const rows = [row("2026-11-02", 1, 1, 8), row("2026-11-02", 1, 2, 3), row("2026-11-02", 3, 2, 6), row("2026-11-02", 3, 3, 20)];
    const conf = confusionFromRows(rows, cats);
    expect(conf.matrix).toEqual([
      [8, 0, 0],
      [3, 0, 6],
      [0, 0, 20],
    ]);
    expect(conf.total).toBe(37);
    const corr = mostCorrected(conf);
    expect(corr.map((c) => [c.categoryId, c.suggested, c.corrected, c.topCorrectedTo])).toEqual([
      [3, 26, 6, 2],
      [1, 11, 3, 2],
    ]);
  });

  it("ignores rows whose categories are not in the list", () => {
    expect(confusionFromRows([row("2026-11-02", 9, 1, 4)], cats).total).toBe(0);
  });
});

describe("toxicityTrends", () => {
  it("reads the flagged rate for the threshold from the score histogram", () => {
    const rows = [
      { day: "2026-11-02", scoreBin: 10, n: 50, nLabelled: 5, nConfirmedToxic: 1 }, // [0.45, 0.5)
      { day: "2026-11-02", scoreBin: 11, n: 30, nLabelled: 10, nConfirmedToxic: 6 }, // [0.5, 0.55)
      { day: "2026-11-02", scoreBin: 20, n: 20, nLabelled: 5, nConfirmedToxic: 5 },
    ];
    const [p] = toxicityTrends(rows, 0.5, "day");
    expect(p.scored).toBe(100);
    expect(p.flaggedRate.estimate).toBeCloseTo(0.5, 12);
    expect(p.confirmedToxicRate.estimate).toBeCloseTo(12 / 20, 12);
    expect(toxicityTrends(rows, 0.9, "day")[0].flaggedRate.estimate).toBeCloseTo(0.2, 12);
    expect(toxicityTrends(rows, 0, "day")[0].flaggedRate.estimate).toBeCloseTo(1, 12);
  });
});

describe("medianFromHistogram and moderatorStats", () => {
  it("interpolates the median inside its bucket", () => {
    // bucket 1 = [500, 1000): 10 items; bucket 2 = [1000, 1500): 10 items → median at the 1000 edge
    expect(
      medianFromHistogram(
        new Map([
          [1, 10],
          [2, 10],
        ]),
      ),
    ).toBeCloseTo(1000, 9);
    expect(medianFromHistogram(new Map([[0, 4]]))).toBeCloseTo(250, 9);
    expect(medianFromHistogram(new Map())).toBeNull();
    expect(medianFromHistogram(new Map([[12, 3]]))).toBe(60000);
  });

  it("aggregates per moderator over hours", () => {
    const stats = moderatorStats(
      [
        { userId: 7, n: 30, nCorrections: 3, activeHours: 1 },
        { userId: 7, n: 30, nCorrections: 3, activeHours: 1 },
        { userId: 8, n: 10, nCorrections: 0, activeHours: 1 },
      ],
      [
        { userId: 7, durationBucket: 2, n: 30 },
        { userId: 7, durationBucket: 3, n: 30 },
        { userId: 8, durationBucket: 1, n: 10 },
      ],
    );
    expect(stats[0]).toMatchObject({ userId: 7, decisions: 60, activeHours: 2, decisionsPerHour: 30, correctionRate: 0.1 });
    expect(stats[0].medianMs).toBeCloseTo(1500, 9);
    expect(stats[1]).toMatchObject({ userId: 8, decisions: 10, activeHours: 1 });
  });
});

describe("toCsv", () => {
  it("quotes and neutralises formula-like cells", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          ["=SUM(A1)", 'say "hi", ok'],
          [null, 3],
        ],
      ),
    ).toBe('a,b\r\n\'=SUM(A1),"say ""hi"", ok"\r\n,3\r\n');
  });
});

describe("toxicityBreakdown", () => {
  it("groups by game, channel and source, largest first", async () => {
    const { toxicityBreakdown, firstFlaggedBin } = await import("./aggregate.ts");
    expect(firstFlaggedBin(0.15)).toBe(4);
    const rows = [
      { day: "2026-11-02", game: "moba", channel: "all", source: "text", scoreBin: 20, n: 3, nLabelled: 2, nConfirmedToxic: 2 },
      { day: "2026-11-03", game: "moba", channel: "all", source: "text", scoreBin: 1, n: 7, nLabelled: 0, nConfirmedToxic: 0 },
      { day: "2026-11-02", game: "fps", channel: null, source: "voice", scoreBin: 15, n: 4, nLabelled: 4, nConfirmedToxic: 1 },
    ];
    const b = toxicityBreakdown(rows, 0.5);
    expect(b.map((g) => [g.game, g.scored, g.flaggedRate.estimate, g.confirmedToxicRate.estimate])).toEqual([
      ["moba", 10, 0.3, 1],
      ["fps", 4, 1, 0.25],
    ]);
  });
});
