import { describe, expect, it } from "vitest";
import { ZDashboardQuery } from "./schemas.ts";

describe("the dashboard's date filters", () => {
  it("take calendar days and refuse the rest with a message", () => {
    expect(ZDashboardQuery.parse({ from: "2024-02-29", to: "2026-12-31" })).toMatchObject({ from: "2024-02-29", to: "2026-12-31" });
    const message = (value: string) => ZDashboardQuery.safeParse({ from: value }).error?.issues[0]?.message;
    expect(message("2026-02-30")).toBe("must be a real date");
    expect(message("2025-02-29")).toBe("must be a real date");
    expect(message("2026-13-01")).toBe("must be a real date");
    expect(message("0000-01-01")).toBe("must be a real date");
    expect(message("0999-12-31")).toBe("must be a real date");
    expect(ZDashboardQuery.safeParse({ from: "2026-1-01" }).error?.issues.map((i) => i.message)).toEqual(["must be a date as YYYY-MM-DD"]);
    // "no end" as some clients write it
    expect(ZDashboardQuery.parse({ to: "9999-12-31" })).toMatchObject({ to: "9999-12-31" });
  });
});
