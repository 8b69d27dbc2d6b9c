import { describe, expect, it } from "vitest";
import { LineSplitter } from "./line-splitter.ts";

describe("LineSplitter", () => {
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
