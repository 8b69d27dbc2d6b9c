import { describe, expect, it } from "vitest";
import { createLabelResolver, labelFromFlagColumns, parseLabelMapArg, proposeLabelMapping } from "./labels.ts";

const categories = [
  { id: 1, name: "Non-toxic" },
  { id: 2, name: "Harassment" },
  { id: 3, name: "Profanity" },
  { id: 4, name: "Hate speech" },
];

describe("parseLabelMapArg", () => {
  it("reads label=category pairs, keeping spaces inside names", () => {
    expect(parseLabelMapArg("toxic=harassment, identity_hate=Hate speech,clean=non-toxic")).toEqual({
      toxic: "harassment",
      identity_hate: "Hate speech",
      clean: "non-toxic",
    });
  });
  it("rejects parts without both sides", () => {
    expect(() => parseLabelMapArg("toxic")).toThrow(/"toxic" is not label=category/);
    expect(() => parseLabelMapArg("=x")).toThrow(/is not label=category/);
    expect(() => parseLabelMapArg("x=")).toThrow(/is not label=category/);
  });
});

describe("createLabelResolver", () => {
  it("matches category names case-insensitively by default", () => {
    const resolve = createLabelResolver(categories);
    expect(resolve("harassment")).toEqual({ categoryId: 2 });
    expect(resolve(" HATE SPEECH ")).toEqual({ categoryId: 4 });
  });
  it("applies the explicit map before names", () => {
    const resolve = createLabelResolver(categories, { toxic: "harassment", obscene: "profanity", clean: "non-toxic", Profanity: "Harassment" });
    expect(resolve("Toxic")).toEqual({ categoryId: 2 });
    expect(resolve("clean")).toEqual({ categoryId: 1 });
    expect(resolve("profanity")).toEqual({ categoryId: 2 });
  });
  it("maps numeric dataset classes", () => {
    const resolve = createLabelResolver(categories, { "0": "hate speech", "1": "harassment", "2": "non-toxic" });
    expect(resolve("2")).toEqual({ categoryId: 1 });
  });
  it("reports an unknown label as a row-level reason listing what is known", () => {
    const result = createLabelResolver(categories, { toxic: "harassment" })("spam");
    expect(result).toEqual({ reason: expect.stringContaining('unknown label "spam"') });
    expect("reason" in result && result.reason).toContain("toxic, non-toxic, harassment");
  });
  it("refuses a map that points at a missing category before reading rows", () => {
    expect(() => createLabelResolver(categories, { toxic: "insults" })).toThrow(/toxic=insults.*categories: Non-toxic, Harassment/);
  });
});

describe("labelFromFlagColumns", () => {
  const columns = ["toxic", "obscene", "insult"];
  it("takes the first set column in the listed order", () => {
    expect(labelFromFlagColumns({ toxic: "0", obscene: "1", insult: "1" }, columns)).toEqual({ label: "obscene" });
    expect(labelFromFlagColumns({ toxic: 1, obscene: 1 }, columns)).toEqual({ label: "toxic" });
    expect(labelFromFlagColumns({ toxic: "true" }, columns)).toEqual({ label: "toxic" });
  });
  it("gives the none label when no column is set", () => {
    expect(labelFromFlagColumns({ toxic: "0", obscene: "", insult: false }, columns)).toEqual({ label: "clean" });
    expect(labelFromFlagColumns({}, columns, "none")).toEqual({ label: "none" });
  });
  it("rejects values that are not flags", () => {
    expect(labelFromFlagColumns({ toxic: "maybe" }, columns)).toEqual({ reason: 'label column "toxic" must be 0 or 1 (got "maybe")' });
  });
});

describe("inactive categories", () => {
  const withInactive = [...categories, { id: 5, name: "Spam", isActive: false }];
  it("refuses a label map onto an inactive category, naming it", () => {
    expect(() => createLabelResolver(withInactive, { ads: "spam" })).toThrow(/inactive categories: "ads" → "Spam"/);
  });
  it("rejects a row whose label names an inactive category", () => {
    expect(createLabelResolver(withInactive)("SPAM")).toEqual({ reason: expect.stringContaining('names the inactive category "Spam"') });
  });
  it("proposes case-insensitive exact matches onto active categories and leaves the rest unmapped", () => {
    const counts = new Map([
      ["harassment", 3],
      ["HATE SPEECH", 2],
      ["spam", 2],
      ["hate", 1],
    ]);
    expect(proposeLabelMapping(counts, withInactive)).toEqual([
      { label: "harassment", count: 3, category: "Harassment" },
      { label: "HATE SPEECH", count: 2, category: "Hate speech" },
      { label: "spam", count: 2, category: null, note: 'the category "Spam" is inactive' },
      { label: "hate", count: 1, category: null },
    ]);
  });
});
