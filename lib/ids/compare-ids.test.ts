import { describe, expect, it } from "vitest";
import { seededRandom } from "@/lib/random/seeded-random.ts";
import { compareIds } from "./compare-ids.ts";

describe("compareIds", () => {
  it("compares numerically across string and bigint", () => {
    expect(compareIds("9", "10")).toBe(-1);
    expect(compareIds(10n, "9")).toBe(1);
    expect(compareIds("42", 42n)).toBe(0);
  });

  it("orders canonical id strings exactly as their BIGINT values (the four copies it replaced agreed on these)", () => {
    const rand = seededRandom(3);
    const id = () => String(BigInt(Math.floor(rand() * 10 ** Math.floor(1 + rand() * 15))) * BigInt(1 + Math.floor(rand() * 9000)));
    for (let i = 0; i < 5000; i++) {
      const a = id();
      const b = rand() < 0.1 ? a : id();
      const expected = BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
      expect(compareIds(a, b)).toBe(expected);
    }
    expect(compareIds("9223372036854775807", "9223372036854775806")).toBe(1);
  });
});
