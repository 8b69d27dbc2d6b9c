import { describe, expect, it } from "vitest";
import { snapshotLabelSet } from "./snapshot.ts";

describe("snapshotLabelSet", () => {
  it("counts per category and hashes independently of order", () => {
    const a = snapshotLabelSet([
      { excerptId: "10", categoryId: 1 },
      { excerptId: "9", categoryId: 2 },
      { excerptId: "11", categoryId: 1 },
    ]);
    const b = snapshotLabelSet([
      { excerptId: "11", categoryId: 1 },
      { excerptId: "10", categoryId: 1 },
      { excerptId: "9", categoryId: 2 },
    ]);
    expect(a).toEqual(b);
    expect(a.n).toBe(3);
    expect(a.countsByCategory).toEqual({ "1": 2, "2": 1 });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes when one label changes", () => {
    const a = snapshotLabelSet([{ excerptId: "1", categoryId: 1 }]);
    const b = snapshotLabelSet([{ excerptId: "1", categoryId: 2 }]);
    expect(a.sha256).not.toBe(b.sha256);
  });

  it("handles the empty set", () => {
    expect(snapshotLabelSet([])).toMatchObject({ n: 0, countsByCategory: {} });
  });
});
