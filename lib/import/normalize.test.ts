import { describe, expect, it } from "vitest";
import { dedupKey, normaliseForDedup } from "./normalize.ts";

describe("normaliseForDedup", () => {
  it("lower-cases and collapses whitespace of every kind", () => {
    expect(normaliseForDedup("  GG\t\tEZ \n noob  ")).toBe("gg ez noob");
  });
  it("folds full-width and compatibility forms with NFKC", () => {
    expect(normaliseForDedup("ＧＧ ｅｚ")).toBe("gg ez");
    expect(normaliseForDedup("ﬁne")).toBe("fine");
  });
  it("removes zero-width characters used to dodge filters", () => {
    expect(normaliseForDedup("n\u200Bo\u200Co\u200Db\u2060\uFEFF")).toBe("noob");
  });
  it("keeps punctuation and non-Latin letters", () => {
    expect(normaliseForDedup("Привет, МИР!")).toBe("привет, мир!");
  });
});

describe("dedupKey", () => {
  it("prefers the external id", () => {
    expect(dedupKey({ externalId: "m-17", conversationId: "c1", text: "hi" })).toBe("x:m-17");
  });
  it("hashes the normalised text within the conversation", () => {
    const a = dedupKey({ externalId: null, conversationId: "c1", text: "GG  ez" });
    const b = dedupKey({ externalId: null, conversationId: "c1", text: "gg ez\u200B" });
    expect(a).toBe(b);
    expect(a).toMatch(/^h:c1:[0-9a-f]{40}$/);
  });
  it("keeps the same line in two conversations apart", () => {
    const a = dedupKey({ externalId: null, conversationId: "c1", text: "gg ez" });
    const b = dedupKey({ externalId: null, conversationId: "c2", text: "gg ez" });
    const none = dedupKey({ externalId: null, conversationId: null, text: "gg ez" });
    expect(a).not.toBe(b);
    expect(none.startsWith("h::")).toBe(true);
  });
  it("separates different texts", () => {
    expect(dedupKey({ externalId: null, conversationId: null, text: "gg" })).not.toBe(dedupKey({ externalId: null, conversationId: null, text: "ez" }));
  });
});
