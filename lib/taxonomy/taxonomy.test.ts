import { describe, expect, it } from "vitest";
import { DEMO_TAXONOMY } from "../demo/demo-taxonomy.ts";
import { detectTaxonomyFormat, parseTaxonomyFile } from "./parse-file.ts";
import { findTaxonomyTemplate, TAXONOMY_TEMPLATE_IDS, TAXONOMY_TEMPLATES } from "./templates.ts";
import type { TTaxonomyResult } from "./types.ts";
import { DEFAULT_CATEGORY_COLORS, formatTaxonomyIssue, validateTaxonomy, type TRawCategory } from "./validate.ts";

const messages = (r: TTaxonomyResult & { unit?: "line" | "item" }) => (r.ok ? [] : r.issues.map((i) => formatTaxonomyIssue(i, r.unit)));
const ok = (r: TTaxonomyResult) => {
  if (!r.ok) throw new Error(`expected a valid taxonomy, got: ${messages(r).join(" | ")}`);
  return r.categories;
};
const raw = (...items: Omit<TRawCategory, "line">[]): TRawCategory[] => items.map((item, i) => ({ line: i + 2, ...item }));

describe("taxonomy templates", () => {
  it("every template is itself a valid taxonomy (exactly one non-toxic, unique names and hotkeys)", () => {
    expect(TAXONOMY_TEMPLATES.map((t) => t.id)).toEqual([...TAXONOMY_TEMPLATE_IDS]);
    for (const template of TAXONOMY_TEMPLATES) {
      const categories = ok(validateTaxonomy(template.categories.map((c, i) => ({ line: i + 1, ...c }))));
      expect(categories, template.id).toEqual(template.categories);
    }
  });

  it("game-chat is the demo's six categories, in the demo's order with its hotkeys", () => {
    const template = findTaxonomyTemplate("game-chat")!;
    expect(template.categories.map((c) => [c.name, c.hotkey, c.isNonToxic])).toEqual(DEMO_TAXONOMY.map((c) => [c.name, c.hotkey, c.isNonToxic]));
  });

  it("the published label sets use the data sets' own label codes, so their files map by name", () => {
    expect(
      findTaxonomyTemplate("olid")!
        .categories.map((c) => c.name)
        .sort(),
    ).toEqual(["GRP", "IND", "NOT", "OTH", "UNT"]);
    expect(findTaxonomyTemplate("olid")!.categories.find((c) => c.isNonToxic)!.name).toBe("NOT");
    // the columns of the Jigsaw file header in shared/data, plus the class for a row with none of them
    expect(findTaxonomyTemplate("jigsaw")!.categories.map((c) => c.name)).toEqual([
      "toxic",
      "severe_toxic",
      "obscene",
      "threat",
      "insult",
      "identity_hate",
      "non_toxic",
    ]);
    expect(findTaxonomyTemplate("toxic-binary")!.categories.map((c) => c.name)).toEqual(["Toxic", "Non-toxic"]);
    expect(findTaxonomyTemplate("blank")!.categories).toHaveLength(1);
    expect(findTaxonomyTemplate("nope")).toBeUndefined();
  });
});

describe("validateTaxonomy", () => {
  it("fills defaults: colours from the palette, hotkeys 1–9 in order when none is given, trimmed text", () => {
    const items = Array.from({ length: 11 }, (_, i) => ({ name: ` C${i} `, isNonToxic: i === 0 ? "yes" : "" }));
    const categories = ok(validateTaxonomy(raw(...items)));
    expect(categories.map((c) => c.hotkey)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, null, null]);
    expect(categories[0]).toEqual({ name: "C0", description: "", color: DEFAULT_CATEGORY_COLORS[0], hotkey: 1, isNonToxic: true });
    expect(categories[10].color).toBe(DEFAULT_CATEGORY_COLORS[0]);
  });

  it("once any hotkey is given, an empty one means no hotkey", () => {
    const categories = ok(validateTaxonomy(raw({ name: "Hate", hotkey: "3" }, { name: "Clean", isNonToxic: true }, { name: "Spam", hotkey: 1 })));
    expect(categories.map((c) => c.hotkey)).toEqual([3, null, 1]);
  });

  it("accepts the usual spellings of yes and no, and normalises colours to lower case", () => {
    for (const yes of [true, 1, "true", "TRUE", "yes", "Y", "1", "x"])
      expect(ok(validateTaxonomy(raw({ name: "A", isNonToxic: yes })))[0].isNonToxic).toBe(true);
    expect(ok(validateTaxonomy(raw({ name: "A", isNonToxic: true, color: "#AbCdEf" })))[0].color).toBe("#abcdef");
  });

  it("refuses zero or two non-toxic categories, naming both lines", () => {
    expect(messages(validateTaxonomy(raw({ name: "Hate" }, { name: "Spam", isNonToxic: "no" })))).toEqual([
      expect.stringMatching(/^non_toxic: No category is marked non-toxic: mark exactly one/),
    ]);
    expect(messages(validateTaxonomy(raw({ name: "Clean", isNonToxic: true }, { name: "Hate" }, { name: "OK", isNonToxic: "yes" })))).toEqual([
      "line 4, non_toxic: “OK” is marked non-toxic, and so is “Clean” on line 2: mark exactly one category non-toxic.",
    ]);
  });

  it("refuses clashing names (ignoring case) and hotkeys, naming the earlier line", () => {
    const result = validateTaxonomy(
      raw({ name: "Hate", hotkey: 1, isNonToxic: false }, { name: "Clean", hotkey: 2, isNonToxic: true }, { name: "hate", hotkey: 2 }),
    );
    expect(messages(result)).toEqual([
      "line 4, name: “hate” is already the name on line 2 (names are compared ignoring case).",
      "line 4, hotkey: Hotkey 2 is already used by “Clean” on line 3: give each category its own key.",
    ]);
  });

  it("reports every malformed field at once, each with its line and field", () => {
    const result = validateTaxonomy(
      raw(
        { name: "", isNonToxic: true },
        { name: "x".repeat(61) },
        { name: "Red", color: "red", hotkey: "0" },
        { name: "Ten", hotkey: 10, description: "d".repeat(501) },
        { name: "Maybe", isNonToxic: "maybe", hotkey: "1.5" },
      ),
    );
    expect(messages(result)).toEqual([
      "line 2, name: The name is missing.",
      "line 3, name: The name is 61 characters long; at most 60 are allowed.",
      "line 4, color: “red” is not a colour: use a hex value like #e11d48.",
      "line 4, hotkey: “0” is not a hotkey: use a digit from 1 to 9, or leave it empty.",
      "line 5, description: The description is 501 characters long; at most 500 are allowed.",
      "line 5, hotkey: “10” is not a hotkey: use a digit from 1 to 9, or leave it empty.",
      "line 6, hotkey: “1.5” is not a hotkey: use a digit from 1 to 9, or leave it empty.",
      "line 6, non_toxic: “maybe” is not a yes/no value: use true or false.",
    ]);
  });

  it("refuses an empty taxonomy and more than 50 categories", () => {
    expect(messages(validateTaxonomy([]))).toEqual(["categories: The taxonomy has no categories: add at least the non-toxic one."]);
    const many = Array.from({ length: 51 }, (_, i) => ({ name: `C${i}`, isNonToxic: i === 0 }));
    expect(messages(validateTaxonomy(raw(...many)))).toEqual(["categories: The taxonomy has 51 categories; at most 50 are allowed."]);
  });
});

describe("parseTaxonomyFile", () => {
  it("reads the issue's three-category CSV with a header in any order and spelling", async () => {
    const csv =
      'Name,Non-Toxic,Colour,Hotkey,Description\nhate,,#a855f7,1,Attacks on a protected trait\noffensive,no,,2,"Insults, swearing"\nnon-toxic,yes,#22c55e,3,\n';
    const result = await parseTaxonomyFile(csv, { fileName: "labels.csv" });
    expect(ok(result)).toEqual([
      { name: "hate", description: "Attacks on a protected trait", color: "#a855f7", hotkey: 1, isNonToxic: false },
      { name: "offensive", description: "Insults, swearing", color: DEFAULT_CATEGORY_COLORS[1], hotkey: 2, isNonToxic: false },
      { name: "non-toxic", description: "", color: "#22c55e", hotkey: 3, isNonToxic: true },
    ]);
  });

  it("a CSV with only a name column and a BOM and CRLF line ends still works", async () => {
    const result = await parseTaxonomyFile("\uFEFFcategory,is_non_toxic\r\nhate,0\r\nclean,1\r\n");
    expect(ok(result).map((c) => [c.name, c.hotkey, c.isNonToxic])).toEqual([
      ["hate", 1, false],
      ["clean", 2, true],
    ]);
  });

  it("names the CSV line of every problem, including unknown columns and unreadable rows", async () => {
    const csv = 'name,hotkey,non_toxic,weight\nhate,1,,3\nclean,1,yes,1\n"broken,2,,1\nspam,2,no,1,extra\nok,3,true,2\n';
    expect(messages(await parseTaxonomyFile(csv))).toEqual([
      "line 1, file: Unknown column “weight”: expected name, description, colour, hotkey, non_toxic.",
      expect.stringMatching(/^line 4, file: This line cannot be read: .*never closed/),
      expect.stringMatching(/^line 5, file: This line cannot be read: expected 4 fields/),
      "line 3, hotkey: Hotkey 1 is already used by “hate” on line 2: give each category its own key.",
      "line 6, non_toxic: “ok” is marked non-toxic, and so is “clean” on line 3: mark exactly one category non-toxic.",
    ]);
  });

  it("refuses a CSV without a name column, and an empty file", async () => {
    expect(messages(await parseTaxonomyFile("label_name,hotkey\nx,1\n"))).toEqual([
      expect.stringMatching(/^file: The file cannot be used: the header has no name column/),
    ]);
    const noName = await parseTaxonomyFile("colour,hotkey\n#ffffff,1\n");
    expect(messages(noName)).toEqual([expect.stringMatching(/^file: The file cannot be used: the header has no name column/)]);
    expect(messages(await parseTaxonomyFile("", { format: "csv" }))).toEqual([expect.stringMatching(/^file: The file cannot be used: the file is empty/)]);
  });

  it("reads JSON as an array or as { categories }, with camelCase or snake_case keys", async () => {
    const list = [
      { name: "hate", color: "#a855f7", hotkey: 1 },
      { name: "offensive", hotkey: 2 },
      { name: "non-toxic", isNonToxic: true, hotkey: 3 },
    ];
    const asArray = ok(await parseTaxonomyFile(JSON.stringify(list)));
    const asObject = ok(
      await parseTaxonomyFile(JSON.stringify({ categories: list.map(({ isNonToxic, ...c }) => (isNonToxic ? { ...c, non_toxic: true } : c)) }), {
        fileName: "t.json",
      }),
    );
    expect(asObject).toEqual(asArray);
    expect(asArray.map((c) => c.name)).toEqual(["hate", "offensive", "non-toxic"]);
  });

  it("names the JSON item of every problem", async () => {
    const result = await parseTaxonomyFile(JSON.stringify([{ name: "a", nonToxic: true, hotkey: 1 }, "b", { name: "c", hotkey: 1, weight: 2 }]));
    expect(messages(result)).toEqual([
      "item 2, file: Each category must be an object with at least a name.",
      "item 3, file: Unknown key “weight”: expected name, description, colour, hotkey, non_toxic.",
      "item 3, hotkey: Hotkey 1 is already used by “a” on item 1: give each category its own key.",
    ]);
    expect(messages(await parseTaxonomyFile("{ not json", { format: "json" }))).toEqual([expect.stringMatching(/^file: The file is not valid JSON/)]);
    expect(messages(await parseTaxonomyFile('{"cats": []}'))).toEqual(['file: Expected a JSON array of categories, or an object with a "categories" array.']);
  });

  it("detects the format from the file name first, then from the first character", () => {
    expect(detectTaxonomyFormat("[]", "x.CSV")).toBe("csv");
    expect(detectTaxonomyFormat("name\n", "x.json")).toBe("json");
    expect(detectTaxonomyFormat("\uFEFF  [{}]")).toBe("json");
    expect(detectTaxonomyFormat("name,hotkey\n")).toBe("csv");
  });
});
