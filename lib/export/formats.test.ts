import { describe, expect, it } from "vitest";
import { csvQuote, neutraliseCell } from "@/lib/text/csv.ts";
import {
  csvHeader,
  csvLine,
  csvTemplate,
  fillSplit,
  hfJsonlLine,
  indexLine,
  indexTemplate,
  jsonlLine,
  jsonlTemplate,
  parseSpoolLine,
  rowObject,
  SPLIT_MARK,
  spoolLine,
} from "./formats.ts";
import { HF_COLUMNS } from "./row.ts";
import { ROW } from "./test-fixtures.ts";

describe("JSONL", () => {
  it("writes one object per line with the documented fields in a fixed order", () => {
    const line = jsonlLine(ROW);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.split("\n").length).toBe(2);
    const obj = JSON.parse(line);
    expect(Object.keys(obj)).toEqual([
      "id",
      "external_id",
      "text",
      "label",
      "label_index",
      "split",
      "source",
      "game",
      "channel",
      "conversation_id",
      "speaker_id",
      "occurred_at",
      "decision_count",
      "agreeing",
      "agreement",
      "is_disputed",
      "is_audit",
      "label_method",
      "model_version",
      "model_suggestion",
      "model_score",
      "toxic_score",
    ]);
    expect(obj).toMatchObject({ id: "42", external_id: "chat-9001", text: ROW.text, label: "insult", label_index: 1, channel: null, model_score: 0.625 });
  });

  it("the fast writers agree with the column lists, and the spool round-trips", () => {
    for (const row of [ROW, { ...ROW, channel: "c", modelScore: null, text: "ünï\u2028code" }]) {
      expect(jsonlLine(row)).toBe(`${JSON.stringify(rowObject(row))}\n`);
      expect(hfJsonlLine(row)).toBe(`${JSON.stringify(rowObject(row, HF_COLUMNS))}\n`);
      expect(parseSpoolLine(spoolLine(row).trimEnd(), row.split)).toEqual(row);
    }
  });

  it("line templates hold exactly one split mark, whatever the text", () => {
    const tricky = { ...ROW, text: 'say "split":"\\u0000" and \\u0000 \u2028', game: '"split":"x"' };
    for (const [template, fill] of [
      [jsonlTemplate, jsonlLine],
      [csvTemplate, csvLine],
      [indexTemplate, indexLine],
    ] as const) {
      const t = template(tricky);
      expect(t.split(SPLIT_MARK).length).toBe(2);
      expect(fillSplit(t, "validation")).toBe(fill({ ...tricky, split: "validation" }));
    }
    expect(JSON.parse(jsonlLine({ ...tricky, split: "test" }))).toMatchObject({ text: tricky.text, split: "test", game: tricky.game });
  });

  it("HF rows carry the integer label and its name, and no split", () => {
    const obj = JSON.parse(hfJsonlLine(ROW));
    expect(Object.keys(obj).slice(0, 5)).toEqual(["id", "external_id", "text", "label", "label_name"]);
    expect(obj.label).toBe(1);
    expect(obj.label_name).toBe("insult");
    expect("split" in obj).toBe(false);
  });
});

describe("CSV", () => {
  it("neutralises formula injection in every string cell", () => {
    for (const bad of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) expect(neutraliseCell(bad)).toBe(`'${bad}`);
    expect(neutraliseCell("hello =1")).toBe("hello =1");
    const line = csvLine({ ...ROW, text: "=cmd|' /C calc'!A0", game: "@game", conversationId: "-1" });
    expect(line).toContain(",'=cmd|' /C calc'!A0,");
    expect(line).toContain(",'@game,");
    expect(line).toContain(",'-1,");
  });

  it("quotes per RFC 4180 and keeps numbers as numbers", () => {
    expect(csvQuote('a "b", c')).toBe('"a ""b"", c"');
    expect(csvQuote(" lead")).toBe('" lead"');
    expect(csvQuote("plain")).toBe("plain");
    const line = csvLine(ROW);
    expect(line).toBe(
      '42,chat-9001,"you ""noob"", go\nhome",insult,1,train,voice,dota2,,m-1,p7,2026-11-01T10:00:00.000Z,2,2,1,false,true,majority,linear-1,non-toxic,0.625,0.375\r\n',
    );
    expect(csvHeader().split(",").length).toBe(line.split(",").length - 1); // the text holds one comma
  });
});

describe("index line", () => {
  it("is tab-separated and cannot be broken by a label name", () => {
    expect(indexLine({ ...ROW, label: "a\tb\nc" })).toBe("42\ttrain\t1\ta b c\n");
  });
});
