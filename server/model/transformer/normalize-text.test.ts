import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeText } from "./normalize-text.ts";

type TCase = { input: string; normalization: "none" | "bertweet"; expected: string };
// The same cases model/tests/test_normalize.py checks against model/normalize.py (training side).
const cases = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../../model/tests/fixtures/normalize-cases.json"), "utf8")) as TCase[];

describe("normalizeText", () => {
  it.each(cases)("$normalization: $input", ({ input, normalization, expected }) => {
    expect(normalizeText(input, normalization)).toBe(expected);
  });

  it("is stable when applied twice (the regexes keep no state between calls)", () => {
    const text = "@a @b http://x.co www.y.org";
    expect(normalizeText(text, "bertweet")).toBe("@USER @USER HTTPURL HTTPURL");
    expect(normalizeText(text, "bertweet")).toBe("@USER @USER HTTPURL HTTPURL");
  });
});
