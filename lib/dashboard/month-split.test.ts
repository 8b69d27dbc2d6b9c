import { describe, expect, it } from "vitest";
import { splitByMonths, type TDayRange } from "./month-split.ts";

const addDays = (s: string, n: number) => {
  const d = new Date(`${s}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const inRange = (d: string, r: TDayRange) => (r.from === undefined || d >= r.from) && (r.to === undefined || d <= r.to);
// every day from 2023-11-01 to 2025-03-31: leap February, year ends, months of 28-31 days
const DAYS = Array.from({ length: 517 }, (_, i) => addDays("2023-11-01", i));

/** Checks the split of `range` against every day in DAYS: covered once, and month rows only for whole months. */
function check(range: TDayRange) {
  const split = splitByMonths(range);
  const wrong: string[] = [];
  for (const d of DAYS) {
    const byMonth = split.months !== null && inRange(`${d.slice(0, 7)}-01`, split.months) ? 1 : 0;
    const byEdge = split.edges.filter((e) => inRange(d, e)).length;
    if (byMonth + byEdge !== (inRange(d, range) ? 1 : 0)) wrong.push(`${d} counted ${byMonth + byEdge} times`);
    // a month read from the monthly rollup lies wholly inside the range
    if (byMonth === 1 && !inRange(d, range)) wrong.push(`${d} read by month outside the range`);
  }
  expect({ range, wrong }).toEqual({ range, wrong: [] });
  expect(split.edges.length).toBeLessThanOrEqual(2);
}

describe("splitByMonths", () => {
  it("reads whole months from the monthly rollup and the partial months' days from the daily one", () => {
    expect(splitByMonths({ from: "2024-01-15", to: "2024-04-10" })).toEqual({
      months: { from: "2024-02-01", to: "2024-03-01" },
      edges: [
        { from: "2024-01-15", to: "2024-01-31" },
        { from: "2024-04-01", to: "2024-04-10" },
      ],
    });
    expect(splitByMonths({ from: "2024-02-01", to: "2024-02-29" })).toEqual({ months: { from: "2024-02-01", to: "2024-02-01" }, edges: [] });
    expect(splitByMonths({ from: "2024-02-02", to: "2024-02-29" })).toEqual({ months: null, edges: [{ from: "2024-02-02", to: "2024-02-29" }] });
    expect(splitByMonths({ from: "2024-12-31", to: "2025-01-01" })).toEqual({ months: null, edges: [{ from: "2024-12-31", to: "2025-01-01" }] });
  });

  it("leaves an open bound open", () => {
    expect(splitByMonths({})).toEqual({ months: { from: undefined, to: undefined }, edges: [] });
    expect(splitByMonths({ from: "2024-03-05" })).toEqual({ months: { from: "2024-04-01", to: undefined }, edges: [{ from: "2024-03-05", to: "2024-03-31" }] });
    expect(splitByMonths({ to: "2024-03-05" })).toEqual({ months: { from: undefined, to: "2024-02-01" }, edges: [{ from: "2024-03-01", to: "2024-03-05" }] });
  });

  it("an empty range reads nothing", () => {
    expect(splitByMonths({ from: "2024-03-05", to: "2024-03-04" })).toEqual({ months: null, edges: [] });
  });

  it("covers every day of any range exactly once (bounds on, before and after every month end of 17 months)", () => {
    const bounds = DAYS.filter((d, i) => i % 11 === 0 || d.endsWith("-01") || addDays(d, 1).endsWith("-01") || addDays(d, 2).endsWith("-01"));
    for (const from of [undefined, ...bounds]) for (const to of [undefined, ...bounds.filter((_, i) => i % 3 === 0)]) check({ from, to });
  });

  it("the last years of the calendar: nothing past 9999-12-31", () => {
    expect(splitByMonths({ from: "2024-01-01", to: "9999-12-31" })).toEqual({ months: { from: "2024-01-01", to: "9999-12-01" }, edges: [] });
    expect(splitByMonths({ from: "9999-12-15" })).toEqual({ months: null, edges: [{ from: "9999-12-15" }] });
    expect(splitByMonths({ from: "9999-12-15", to: "9999-12-31" })).toEqual({ months: null, edges: [{ from: "9999-12-15", to: "9999-12-31" }] });
  });
});
