import { describe, expect, it } from "vitest";
import { copyField, copyLine, decodeCopyField, parseCopyLine } from "./copy-text.ts";

describe("COPY text encoding", () => {
  it("writes NULL as \\N and keeps plain text as is", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField("gg ez 🎮")).toBe("gg ez 🎮");
    expect(copyField(42)).toBe("42");
    expect(copyField(true)).toBe("true");
  });
  it("escapes the characters that would end a field or row", () => {
    expect(copyField("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    // a literal "\N" in a chat line must stay text, not become NULL
    expect(copyField("\\N")).toBe("\\\\N");
  });
  it("joins a row with tabs and ends it with a newline", () => {
    expect(copyLine(["x", null, 3])).toBe("x\t\\N\t3\n");
  });
  it("parses back what it wrote", () => {
    const values = ["a\tb\nc\rd\\e", null, "\\N", "", "plain 🎮"];
    expect(parseCopyLine(copyLine(values).slice(0, -1))).toEqual(values);
  });
});

describe("COPY text decoding", () => {
  it("decodes NULL, escapes and plain text", () => {
    expect(decodeCopyField("\\N")).toBeNull();
    expect(decodeCopyField("plain é text")).toBe("plain é text");
    expect(decodeCopyField("a\\tb\\nc\\rd\\\\e")).toBe("a\tb\nc\rd\\e");
    expect(decodeCopyField("\\b\\f\\v")).toBe("\b\f\v");
    expect(decodeCopyField("\\\\N")).toBe("\\N");
    expect(decodeCopyField("\\101\\x41")).toBe("AA");
  });
});
