import { describe, expect, it } from "vitest";
import { EMPTY_EXCERPT_FILTERS, filtersFromQuery, queryFromFilters } from "./url-filters.ts";

describe("excerpt filters in the URL", () => {
  it("round-trips every filter, writing only those set", () => {
    const filters = {
      q: "cry noob",
      categoryId: "3",
      status: "labelled" as const,
      source: "voice" as const,
      minScore: "0.5",
      maxScore: "0.9",
      from: "2026-11-01",
      to: "2026-11-08",
    };
    const query = queryFromFilters(filters);
    expect(query).toBe("q=cry+noob&categoryId=3&status=labelled&source=voice&minScore=0.5&maxScore=0.9&from=2026-11-01&to=2026-11-08");
    expect(filtersFromQuery(Object.fromEntries(new URLSearchParams(query)))).toEqual(filters);
    expect(queryFromFilters(EMPTY_EXCERPT_FILTERS)).toBe("");
    expect(queryFromFilters({ ...EMPTY_EXCERPT_FILTERS, q: "  " })).toBe("");
  });

  it("drops what the form cannot show instead of half-applying it", () => {
    expect(
      filtersFromQuery({ status: "deleted", source: "fax", categoryId: "3; DROP", minScore: "7", maxScore: "-1", from: "yesterday", to: "2026-13" }),
    ).toEqual(EMPTY_EXCERPT_FILTERS);
    expect(filtersFromQuery({})).toEqual(EMPTY_EXCERPT_FILTERS);
    // a repeated key: the first wins
    expect(filtersFromQuery({ q: ["gg", "wp"] }).q).toBe("gg");
    expect(filtersFromQuery({ q: "x".repeat(300) }).q).toHaveLength(200);
  });
});
