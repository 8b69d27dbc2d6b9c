import { describe, expect, it } from "vitest";
import { normaliseText } from "./normalise.ts";

describe("normaliseText", () => {
  it("maps near-duplicates to one text", () => {
    const same = ["GG EZ noob!!!", "gg ez noob", "  gg   ez,  NOOOOOB ", "gg ez noob 🙂", "ǵg ez noob?"];
    const expected = normaliseText(same[0]);
    expect(expected).toBe("gg ez noob");
    for (const s of same) expect(normaliseText(s)).toBe(expected);
  });

  it("replaces mentions and links, keeps words and digits apart", () => {
    expect(normaliseText("@Player123 go to https://x.io/a?b=1 now")).toBe("@user go to url now");
    expect(normaliseText("you are 1")).not.toBe(normaliseText("you are 2"));
    expect(normaliseText("kill it")).not.toBe(normaliseText("kill"));
  });

  it("drops invisible characters and folds full-width forms (as import's dedup does)", () => {
    expect(normaliseText("n\u200Boob")).toBe("noob");
    expect(normaliseText("ｎｏｏｂ")).toBe("noob");
  });

  it("keeps non-Latin scripts", () => {
    expect(normaliseText("Привет, МИР!")).toBe("привет мир");
    expect(normaliseText("")).toBe("");
  });
});
