import { describe, expect, it } from "vitest";
import { explainedLogOdds, highlightsFrom, leaveOneOutVariants, splitByHighlights, wordSpans } from "./leave-one-out.ts";

describe("wordSpans", () => {
  it("finds words with game spellings inside them and skips punctuation", () => {
    const text = "u r a n00b, don't f*ck around!! x_x";
    expect(wordSpans(text).map((s) => text.slice(s.start, s.end))).toEqual(["u", "r", "a", "n00b", "don't", "f*ck", "around", "x_x"]);
  });
  it("counts UTF-16 offsets through emoji and accents", () => {
    const text = "🔥 café idiot";
    const spans = wordSpans(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["café", "idiot"]);
  });
  it("stops at the word limit", () => {
    expect(wordSpans("a b c d e", 3)).toHaveLength(3);
    expect(wordSpans("")).toEqual([]);
  });
});

describe("leaveOneOutVariants", () => {
  it("replaces each word by a space so neighbours never fuse", () => {
    const text = "you absolute clown";
    expect(leaveOneOutVariants(text, wordSpans(text))).toEqual(["  absolute clown", "you   clown", "you absolute  "]);
  });
});

describe("highlightsFrom", () => {
  const text = "you absolute clown lol";
  const spans = wordSpans(text);
  it("keeps words whose removal drops the score enough, strongest first within the limit, in text order", () => {
    const hs = highlightsFrom(0.8, [0.78, 0.7, 0.3, 0.82], spans, { minWeight: 0.05, max: 2 });
    expect(hs.map((h) => text.slice(h.start, h.end))).toEqual(["absolute", "clown"]);
    expect(hs.map((h) => h.weight)).toEqual([0.1, 0.5]);
  });
  it("never highlights a word whose removal raises the score", () => {
    expect(highlightsFrom(0.2, [0.9, 0.9, 0.9, 0.9], spans)).toEqual([]);
  });
  it("refuses a score list that does not match the words", () => {
    expect(() => highlightsFrom(0.5, [0.1], spans)).toThrow(/expected 4 scores/);
  });
});

describe("explainedLogOdds", () => {
  it("explains a toxic suggestion by its own log-odds and a non-toxic one by the toxic log-odds", () => {
    const probs = [0.6, 0.3, 0.1];
    expect(explainedLogOdds(probs, true, 0, 1)).toBeCloseTo(Math.log(0.3 / 0.7), 9);
    expect(explainedLogOdds(probs, true, 0, 0)).toBeCloseTo(Math.log(0.4 / 0.6), 9);
  });
  it("reads logits through a softmax and keeps differences where float32 probabilities would read 1.000", () => {
    const logits = [0, 40, 1];
    const p = logits.map((l) => Math.exp(l) / logits.reduce((s, x) => s + Math.exp(x), 0));
    expect(explainedLogOdds(logits, false, 0, 1)).toBeCloseTo(Math.log(p[1] / (p[0] + p[2])), 6);
    const weaker = [0, 38, 1];
    expect(explainedLogOdds(logits, false, 0, 1) - explainedLogOdds(weaker, false, 0, 1)).toBeCloseTo(2, 6);
    expect(Math.fround(p[1])).toBe(1);
  });
});

describe("splitByHighlights", () => {
  it("cuts the text into plain and highlighted pieces that join back to the text", () => {
    const text = "uninstall you clown";
    const pieces = splitByHighlights(text, [
      { start: 14, end: 19, weight: 0.4 },
      { start: 0, end: 9, weight: 0.1 },
    ]);
    expect(pieces.map((p) => [p.text, p.highlight?.weight ?? null])).toEqual([
      ["uninstall", 0.1],
      [" you ", null],
      ["clown", 0.4],
    ]);
    expect(pieces.map((p) => p.text).join("")).toBe(text);
  });
  it("ignores spans that overlap or fall outside the text", () => {
    const pieces = splitByHighlights("abc", [
      { start: 0, end: 2, weight: 1 },
      { start: 1, end: 3, weight: 1 },
      { start: 2, end: 9, weight: 1 },
    ]);
    expect(pieces.map((p) => p.text).join("")).toBe("abc");
    expect(pieces.filter((p) => p.highlight)).toHaveLength(1);
  });
});
