import { describe, expect, it } from "vitest";
import { hasHiddenCharacters, revealInvisible } from "./reveal-invisible.ts";

const labels = (text: string) =>
  revealInvisible(text)
    .map((s) => (s.kind === "text" ? s.text : `[${s.label}]`))
    .join("");

describe("revealInvisible", () => {
  // Finding 8: "\u202Efdp.exe" rendered as "exe.pdf".
  it("marks a right-to-left override so the text reads in its real order", () => {
    expect(labels("invoice\u202Efdp.exe")).toBe("invoice[RLO]fdp.exe");
    const [, hidden] = revealInvisible("invoice\u202Efdp.exe");
    expect(hidden).toEqual({ kind: "hidden", codePoint: 0x202e, label: "RLO", name: "U+202E right-to-left override" });
  });

  it("marks every bidirectional control", () => {
    const controls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C";
    expect(labels(`a${controls}b`)).toBe("a[LRE][RLE][PDF][LRO][RLO][LRI][RLI][FSI][PDI][LRM][RLM][ALM]b");
  });

  it("marks zero-width characters, soft hyphens, fillers and stray tag characters", () => {
    expect(labels("n\u200Bi\u200Bg")).toBe("n[ZWSP]i[ZWSP]g");
    expect(labels("pay\u200Dpal")).toBe("pay[ZWJ]pal");
    expect(labels("kill\u00ADyourself")).toBe("kill[SHY]yourself");
    expect(labels("\u3164\u3164")).toBe("[FILLER][FILLER]");
    expect(labels("hi\uFEFF")).toBe("hi[ZWNBSP]");
    expect(labels("ok\u{E0068}\u{E0069}")).toBe("ok[TAG][TAG]");
    expect(revealInvisible("\u{E0068}")[0]).toMatchObject({ name: 'U+E0068 tag character "h"' });
    expect(labels("a\u2062b\u0007c")).toBe("a[U+2062]b[U+0007]c");
  });

  it("leaves joiners where writing needs them: emoji sequences, flags, Persian and Hindi", () => {
    for (const text of ["👨‍👩‍👧", "👍🏽‍♂️ ok", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "می‌خواهم", "क्‍ष", "line one\nline two\tindented"]) {
      expect(hasHiddenCharacters(text), JSON.stringify(text)).toBe(false);
      expect(labels(text)).toBe(text);
    }
  });

  it("keeps ordinary text, Arabic and Hebrew as one run, and the empty string as nothing", () => {
    expect(revealInvisible("gg ez noob")).toEqual([{ kind: "text", text: "gg ez noob" }]);
    expect(revealInvisible("مرحبا שלום")).toEqual([{ kind: "text", text: "مرحبا שלום" }]);
    expect(revealInvisible("")).toEqual([]);
  });
});
