import { describe, expect, it } from "vitest";
import { decodeCopyField, LineSplitter } from "./copy-text.ts";

describe("COPY text decoding", () => {
  it("decodes NULL, escapes and plain text", () => {
    expect(decodeCopyField("\\N")).toBeNull();
    expect(decodeCopyField("plain é text")).toBe("plain é text");
    expect(decodeCopyField("a\\tb\\nc\\rd\\\\e")).toBe("a\tb\nc\rd\\e");
    expect(decodeCopyField("\\b\\f\\v")).toBe("\b\f\v");
    expect(decodeCopyField("\\\\N")).toBe("\\N");
    expect(decodeCopyField("\\101\\x41")).toBe("AA");
  });

  it("splits lines across chunk boundaries", () => {
    const s = new LineSplitter();
    expect(s.push("1\ta\n2\t")).toEqual(["1\ta"]);
    expect(s.push("b\n3")).toEqual(["2\tb"]);
    expect(s.push("\tc")).toEqual([]);
    expect(s.end()).toEqual(["3\tc"]);
    expect(s.end()).toEqual([]);
    const records = new LineSplitter("\u0000\u0000");
    expect(records.push("a\nb\u0000")).toEqual([]);
    expect(records.push("\u0000c\u0000x\u0000\u0000")).toEqual(["a\nb", "c\u0000x"]);
  });
});
