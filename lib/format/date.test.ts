import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDayKey, formatDayMonth, formatTime } from "./date.ts";

const iso = "2026-11-02T14:05:09Z";

describe("date formatting", () => {
  it("writes the month as a name, so 2 Nov is never mistaken for 11 Feb", () => {
    expect(formatDate(iso, { timeZone: "UTC" })).toBe("2 Nov 2026");
    expect(formatDateTime(iso, { timeZone: "UTC" })).toBe("2 Nov 2026, 14:05");
    expect(formatDateTime(iso, { timeZone: "UTC", seconds: true })).toBe("2 Nov 2026, 14:05:09");
    expect(formatTime(iso, { timeZone: "UTC" })).toBe("14:05:09");
    expect(formatTime(iso, { timeZone: "UTC", seconds: false })).toBe("14:05");
    expect(formatDayMonth(iso, { timeZone: "UTC" })).toBe("2 Nov");
  });
  it("converts to the given time zone, across the date line", () => {
    expect(formatDateTime("2026-11-02T23:30:00Z", { timeZone: "Asia/Tokyo" })).toBe("3 Nov 2026, 08:30");
    expect(formatDateTime("2026-07-01T00:30:00Z", { timeZone: "America/New_York" })).toBe("30 Jun 2026, 20:30");
  });
  it("takes Dates and epoch milliseconds, and says so plainly when there is no date", () => {
    expect(formatDate(new Date(iso), { timeZone: "UTC" })).toBe("2 Nov 2026");
    expect(formatDate(Date.parse(iso), { timeZone: "UTC" })).toBe("2 Nov 2026");
    expect(formatDate(null)).toBe("–");
    expect(formatDateTime("not a date", { fallback: "time unknown" })).toBe("time unknown");
  });
  it("formats a UTC day key without shifting it a day in any zone", () => {
    expect(formatDayKey("2026-11-23")).toBe("23 Nov 2026");
    expect(formatDayKey("week 3")).toBe("week 3");
  });
});
