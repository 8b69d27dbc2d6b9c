import { describe, expect, it } from "vitest";
import { createInFileDuplicates } from "./in-file-duplicates.ts";

describe("createInFileDuplicates", () => {
  it("lets a new id through and an exact repeat too (the database counts that one as a duplicate)", () => {
    const d = createInFileDuplicates();
    expect(d.check("m-1", "gg ez", null, 2)).toBeNull();
    expect(d.check("m-1", "gg ez", null, 9)).toBeNull();
    expect(d.size).toBe(1);
  });

  it("reports an id reused with another text or label, with the line that used it first", () => {
    const d = createInFileDuplicates();
    d.check("m-1", "gg ez", "toxic", 2);
    expect(d.check("m-1", "gg", "toxic", 7)).toEqual({ firstLine: 2 });
    expect(d.check("m-1", "gg ez", "clean", 8)).toEqual({ firstLine: 2 });
    expect(d.check("m-1", "gg ez", null, 9)).toEqual({ firstLine: 2 });
    // still the first line after the reports: the table keeps the first row's entry
    expect(d.check("m-1", "gg ez", "toxic", 10)).toBeNull();
  });

  it("keeps every id apart through many growths, with lines past 2^32", () => {
    const d = createInFileDuplicates();
    const n = 300_000;
    const line = (i: number) => 2 ** 32 + i * 3;
    let reported = 0;
    for (let i = 0; i < n; i++) if (d.check(`id-${i}`, `text ${i}`, null, line(i)) !== null) reported++;
    expect(reported).toBe(0);
    expect(d.size).toBe(n);
    for (let i = 0; i < n; i += 997) {
      expect(d.check(`id-${i}`, `text ${i}`, null, 1)).toBeNull();
      expect(d.check(`id-${i}`, `other ${i}`, null, 1)).toEqual({ firstLine: line(i) });
    }
    expect(d.size).toBe(n);
  });

  it("handles ids that differ only slightly, and empty and long ids", () => {
    const d = createInFileDuplicates();
    const ids = ["", " ", "a", "b", "ab", "ba", "x".repeat(10_000), `${"x".repeat(9_999)}y`, "ü", "u\u0308"];
    ids.forEach((id, i) => expect(d.check(id, "t", null, i + 1)).toBeNull());
    expect(d.size).toBe(ids.length);
    ids.forEach((id, i) => expect(d.check(id, "changed", null, 100)).toEqual({ firstLine: i + 1 }));
  });
});
