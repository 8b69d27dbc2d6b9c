import { describe, expect, it } from "vitest";
import { formatPeriod, formatTimeTick, periodKeyToMs, shortVersionLabel, shortVersionLabels, timeTicks } from "./time-axis.ts";

const DAY = 86_400_000;

describe("periodKeyToMs", () => {
  it("reads UTC days and hours as the dashboard API sends them", () => {
    expect(periodKeyToMs("2026-11-23")).toBe(Date.UTC(2026, 10, 23));
    expect(periodKeyToMs("2026-11-23T14:00")).toBe(Date.UTC(2026, 10, 23, 14));
    expect(periodKeyToMs("week 3")).toBeNaN();
  });
});

describe("timeTicks", () => {
  it("puts ticks on UTC midnights over a two-week span, no more than asked", () => {
    const { ticks, stepMs } = timeTicks(Date.UTC(2026, 10, 16, 9), Date.UTC(2026, 10, 30, 3), 6);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(stepMs % DAY).toBe(0);
    for (const t of ticks) expect(t % DAY).toBe(0);
    expect(ticks[0]).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 16, 9));
    expect(ticks.at(-1)).toBeLessThanOrEqual(Date.UTC(2026, 10, 30, 3));
  });
  it("spaces ticks evenly in time, so a gap in the data stays a gap on the axis", () => {
    const { ticks } = timeTicks(Date.UTC(2026, 10, 23), Date.UTC(2026, 10, 26), 8);
    const gaps = new Set(ticks.slice(1).map((t, i) => t - ticks[i]));
    expect(gaps.size).toBe(1);
  });
  it("uses hours within a day and Mondays for long spans", () => {
    expect(timeTicks(Date.UTC(2026, 10, 23, 8), Date.UTC(2026, 10, 23, 20), 7).stepMs).toBe(2 * 3600_000);
    const weeks = timeTicks(Date.UTC(2026, 8, 1), Date.UTC(2026, 11, 1), 6);
    expect(weeks.stepMs).toBeGreaterThanOrEqual(7 * DAY);
    for (const t of weeks.ticks) expect(new Date(t).getUTCDay()).toBe(1);
  });
  it("copes with one point and with no data", () => {
    expect(timeTicks(5, 5).ticks).toEqual([5]);
    expect(timeTicks(Number.NaN, 5).ticks).toEqual([]);
  });
});

describe("tick and period labels", () => {
  it("reads as a human date, never as an ISO timestamp", () => {
    expect(formatTimeTick(Date.UTC(2026, 10, 23), DAY)).toBe("23 Nov");
    expect(formatTimeTick(Date.UTC(2026, 10, 23, 14), 3600_000)).toBe("14:00");
    expect(formatTimeTick(Date.UTC(2026, 10, 24), 6 * 3600_000)).toBe("24 Nov");
    expect(formatPeriod(Date.UTC(2026, 10, 23))).toBe("23 Nov 2026");
    expect(formatPeriod(Date.UTC(2026, 10, 23, 14), true)).toBe("23 Nov 2026, 14:00 UTC");
  });
});

describe("shortVersionLabel", () => {
  it("shortens generated version names to kind and time, and cuts long custom names", () => {
    expect(shortVersionLabel("linear-20261206-095454-940")).toBe("linear 6 Dec 09:54");
    expect(shortVersionLabel("bertweet-ft")).toBe("bertweet-ft");
    expect(shortVersionLabel("a-very-long-custom-model-version-name")).toBe("a-very-long-custo…");
  });
});

describe("shortVersionLabels", () => {
  it("keeps labels unique when versions were trained within the same minute", () => {
    expect(shortVersionLabels(["linear-20261206-104543-173", "linear-20261206-104512-009", "linear-20261201-090000-000"])).toEqual([
      "linear 6 Dec 10:45:43",
      "linear 6 Dec 10:45:12",
      "linear 1 Dec 09:00",
    ]);
    expect(shortVersionLabels(["linear-20261206-104543-173", "linear-20261206-104543-981"])).toEqual(["linear 10:45:43.173", "linear 10:45:43.981"]);
    expect(shortVersionLabels(["bertweet", "linear-20261206-104543-173"])).toEqual(["bertweet", "linear 6 Dec 10:45"]);
  });
});
