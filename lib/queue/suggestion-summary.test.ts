import { describe, expect, it } from "vitest";
import { formatPercent } from "@/lib/format/percent.ts";
import { summarizeSuggestion } from "./suggestion-summary.ts";

describe("formatPercent", () => {
  it("always carries a % sign and never rounds to false certainty", () => {
    expect(formatPercent(0.871)).toBe("87%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(0.001)).toBe("<1%");
    expect(formatPercent(0.998)).toBe(">99%");
    expect(formatPercent(0.1234, 1)).toBe("12.3%");
    expect(formatPercent(null)).toBe("–");
  });
});

describe("summarizeSuggestion", () => {
  it("presents a non-toxic suggestion outweighed by the toxic categories as uncertain, never as non-toxic", () => {
    // the card: "Non-toxic · 34% confident · toxic 0.66"
    const s = summarizeSuggestion({ probability: 0.34, toxicScore: 0.66, isNonToxic: true });
    expect(s.tone).toBe("uncertain");
    expect(s.percentText).toBe("34%");
    expect(s.detail).toContain("66%");
  });
  it("says nothing more about a clear non-toxic suggestion", () => {
    expect(summarizeSuggestion({ probability: 0.9, toxicScore: 0.1, isNonToxic: true })).toEqual({
      tone: "non-toxic",
      probability: 0.9,
      percentText: "90%",
      detail: null,
    });
  });
  it("adds the toxic score to a toxic suggestion only when other toxic categories share the probability", () => {
    expect(summarizeSuggestion({ probability: 0.5, toxicScore: 0.93, isNonToxic: false }).detail).toBe("93% likely toxic in some category.");
    expect(summarizeSuggestion({ probability: 0.88, toxicScore: 0.9, isNonToxic: false }).detail).toBeNull();
  });
});
