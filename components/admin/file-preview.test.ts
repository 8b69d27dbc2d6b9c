import { describe, expect, it } from "vitest";
import { previewText, splitCsvLine } from "./file-preview.ts";

describe("splitCsvLine", () => {
  it("splits plain and quoted cells, keeping commas and doubled quotes inside quotes", () => {
    expect(splitCsvLine('1,"hello, ""world""",x')).toEqual(["1", 'hello, "world"', "x"]);
    expect(splitCsvLine("a,,b")).toEqual(["a", "", "b"]);
  });
});

describe("previewText", () => {
  it("reads CSV columns from the header and ignores a cut-off last line", () => {
    const p = previewText("id,text,label\n1,hi,clean\n2,yo,tox", "csv");
    expect(p.columns).toEqual(["id", "text", "label"]);
    expect(p.rows).toEqual([{ id: "1", text: "hi", label: "clean" }]);
  });
  it("collects JSONL keys across lines and skips malformed ones", () => {
    const p = previewText('{"text":"a","label":"x"}\nnot json\n{"text":"b","speaker":"s1"}\n', "jsonl");
    expect(p.columns).toEqual(["text", "label", "speaker"]);
    expect(p.rows.map((r) => r.text)).toEqual(["a", "b"]);
  });
});
