import { describe, expect, it } from "vitest";
import { mergeClaimed, replaceCard, restoreCard, shouldRefill } from "./card-buffer.ts";

const card = (excerptId: string, tag = "") => ({ excerptId, tag });

describe("mergeClaimed", () => {
  it("appends new cards in server order", () => {
    expect(mergeClaimed([card("1")], [card("2"), card("3")], new Set()).map((c) => c.excerptId)).toEqual(["1", "2", "3"]);
  });
  it("drops cards already buffered or just decided (a re-claimed lease must not show twice)", () => {
    const merged = mergeClaimed([card("1")], [card("1"), card("2"), card("3"), card("3")], new Set(["2"]));
    expect(merged.map((c) => c.excerptId)).toEqual(["1", "3"]);
  });
});

describe("restoreCard / replaceCard", () => {
  it("puts an undone card in front without duplicating it", () => {
    expect(restoreCard([card("2"), card("1")], card("1", "undone")).map((c) => c.excerptId + c.tag)).toEqual(["1undone", "2"]);
  });
  it("replaces a card in place with the server's fresh copy", () => {
    expect(replaceCard([card("1"), card("2")], card("2", "fresh")).map((c) => c.excerptId + c.tag)).toEqual(["1", "2fresh"]);
  });
});

describe("shouldRefill", () => {
  it("refills at four cards or fewer (so at two remaining too), once at a time, and not after the queue ran dry", () => {
    expect(shouldRefill(5, false, false)).toBe(false);
    expect(shouldRefill(4, false, false)).toBe(true);
    expect(shouldRefill(2, false, false)).toBe(true);
    expect(shouldRefill(0, true, false)).toBe(false);
    expect(shouldRefill(0, false, true)).toBe(false);
  });
});
