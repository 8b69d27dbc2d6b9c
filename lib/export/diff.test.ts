import { describe, expect, it } from "vitest";
import { compareIds } from "@/lib/ids/compare-ids.ts";
import { diffIndexes, parseIndexLine, type TIndexRow } from "./diff.ts";

const r = (id: string, label: string, split = "train"): TIndexRow => ({ id, label, split, labelIndex: 0 });

describe("diffIndexes", () => {
  it("counts added, removed, relabelled, moved and unchanged rows", async () => {
    const before = [r("1", "a"), r("2", "b"), r("3", "c"), r("9", "a"), r("10", "a", "test")];
    const after = [r("2", "b"), r("3", "a"), r("9", "a", "test"), r("10", "a", "test"), r("11", "b"), r("100", "c")];
    const d = await diffIndexes(before, after);
    expect(d).toMatchObject({ added: 2, removed: 1, relabelled: 1, movedSplit: 1, unchanged: 2 });
    expect(d.samples.relabelled).toEqual([{ id: "3", before: { label: "c", split: "train" }, after: { label: "a", split: "train" } }]);
    expect(d.samples.added.map((s) => s.id)).toEqual(["11", "100"]);
  });

  it("works on async sources and caps samples", async () => {
    async function* gen(n: number, offset: number) {
      for (let i = 0; i < n; i++) yield r(String(i + offset), "x");
    }
    const d = await diffIndexes(gen(1000, 1), gen(1000, 501), { sampleSize: 3 });
    expect(d).toMatchObject({ added: 500, removed: 500, unchanged: 500 });
    expect(d.samples.added.length).toBe(3);
  });

  it("refuses an unsorted index instead of giving a wrong answer", async () => {
    await expect(diffIndexes([r("2", "a"), r("1", "a")], [])).rejects.toThrow(/not sorted/);
  });

  it("orders ids numerically and parses index lines with their line number on error", () => {
    expect(compareIds("9", "10")).toBeLessThan(0);
    expect(parseIndexLine("12\ttest\t3\tthreat", 1)).toEqual({ id: "12", split: "test", labelIndex: 3, label: "threat" });
    expect(() => parseIndexLine("oops", 7)).toThrow(/line 7/);
  });
});
