import { describe, expect, it } from "vitest";
import { hash32, hash53, unitHash, unitHash53 } from "./hash.ts";

describe("hash32 / unitHash", () => {
  it("is stable and spreads consecutive ids", () => {
    expect(hash32("abc")).toBe(hash32("abc"));
    expect(hash32("1")).not.toBe(hash32("2"));
    expect(Number.isInteger(hash32("x"))).toBe(true);
    expect(hash32("x")).toBeGreaterThanOrEqual(0);
    expect(hash32("x")).toBeLessThan(2 ** 32);
  });

  it("unitHash is in [0, 1), the same for string, number and bigint ids, and depends on the salt", () => {
    expect(unitHash("42", "s")).toBe(unitHash(42, "s"));
    expect(unitHash(42n, "s")).toBe(unitHash(42, "s"));
    expect(unitHash(42, "a")).not.toBe(unitHash(42, "b"));
    for (let i = 0; i < 1000; i++) {
      const u = unitHash(i, "t");
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });

  it("is roughly uniform over consecutive ids (each tenth holds 10% ± 1.5%)", () => {
    const buckets = new Array(10).fill(0);
    const n = 20_000;
    for (let i = 1; i <= n; i++) buckets[Math.floor(unitHash(i, "audit") * 10)]++;
    for (const b of buckets) expect(Math.abs(b / n - 0.1)).toBeLessThan(0.015);
  });
});

describe("pinned outputs", () => {
  // Computed by the two unitHash functions before they moved here (lib/ranking/rank.ts and lib/export/hash.ts).
  // Audit/overlap membership and dataset splits are persisted: if one of these changes, existing workspaces'
  // gold sets and snapshot splits would no longer match what the code recomputes.
  it("keeps the audit/overlap/order hash", () => {
    expect(unitHash(1, "audit")).toBe(0.9892712512519211);
    expect(unitHash("123456789012", "overlap")).toBe(0.21983231301419437);
    expect(unitHash(99n, "order")).toBe(0.625158259877935);
  });

  it("keeps the split/fold hash", () => {
    expect(unitHash53("conv-1", "seed")).toBe(0.9497416038391036);
    expect(unitHash53("", "x")).toBe(0.18222220034969006);
    expect(unitHash53("héllo", "s")).toBe(0.14188529375587455);
    expect(Number.isSafeInteger(hash53("anything", 2))).toBe(true);
  });
});
