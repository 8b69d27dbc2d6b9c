import { describe, expect, it } from "vitest";
import { datasetCard, labelNamesFile } from "./card.ts";
import { CountsAccumulator, splitsFor, type TTaxonomyEntry } from "./manifest.ts";
import { parseSnapshotParams } from "./params.ts";
import { ROW } from "./test-fixtures.ts";

const TAXONOMY: TTaxonomyEntry[] = [
  { id: 4, index: 0, name: "non-toxic", description: "", isNonToxic: true, isActive: true },
  { id: 2, index: 1, name: "insult", description: "", isNonToxic: false, isActive: true },
  { id: 9, index: 2, name: 'slur "x": y', description: "", isNonToxic: false, isActive: false },
];

function counts() {
  const acc = new CountsAccumulator();
  acc.add({ ...ROW, split: "train", label: "insult", decisionCount: 1, agreement: 1, modelVersion: "v2" });
  acc.add({ ...ROW, split: "train", label: "non-toxic", decisionCount: 3, agreement: 2 / 3, isDisputed: false, modelVersion: "v1" });
  acc.add({ ...ROW, split: "test", label: "insult", decisionCount: 2, agreement: 0.5, isDisputed: true, isAudit: false, modelVersion: null });
  return acc;
}

describe("CountsAccumulator", () => {
  it("counts per split and label with zeros present and a fixed order", () => {
    const c = counts().result(
      TAXONOMY.map((t) => t.name),
      ["train", "test"],
    );
    expect(c.rows).toBe(3);
    expect(c.bySplit).toEqual({ train: 2, test: 1 });
    expect(c.bySplitAndLabel.test).toEqual({ "non-toxic": 0, insult: 1, 'slur "x": y': 0 });
    expect(c.byDecisionCount).toEqual({ "1": 1, "2": 1, "3+": 1 });
    expect(c.disputed).toBe(1);
    expect(c.audit).toBe(2);
    expect(c.meanAgreement).toBeCloseTo((1 + 2 / 3 + 0.5) / 3, 5);
    expect(c.modelVersions).toEqual(["v1", "v2"]);
  });

  it("shows a split outside the plan only when rows were forced into it", () => {
    expect(splitsFor({ split: { validation: 0, test: 0.2 }, goldSplit: true })).toEqual(["train", "test", "gold"]);
    const acc = new CountsAccumulator();
    acc.add({ ...ROW, split: "test" });
    expect(Object.keys(acc.result(["insult"], ["train"]).bySplit)).toEqual(["train", "test"]);
  });
});

describe("datasetCard", () => {
  const params = parseSnapshotParams({ labelRule: "majority" });
  const card = datasetCard({
    workspaceSlug: "demo",
    params,
    taxonomy: TAXONOMY,
    counts: counts().result(
      TAXONOMY.map((t) => t.name),
      ["train", "test"],
    ),
    splits: ["train", "test"],
  });

  it("has YAML front matter mapping each split to its file and label to a ClassLabel", () => {
    const yaml = card.slice(4, card.indexOf("\n---\n", 4));
    expect(yaml).toContain("  - split: train\n    path: train.jsonl");
    expect(yaml).toContain("  - split: test\n    path: test.jsonl");
    expect(yaml).toContain('          \'2\': "slur \\"x\\": y"');
    expect(yaml).toContain("  - name: train\n    num_examples: 2");
    expect(yaml).not.toContain("name: split\n");
  });

  it("documents counts, distribution, agreement, parameters and model versions, without time or id", () => {
    expect(card).toContain("| train | 2 | 66.7% |");
    expect(card).toContain("| insult | 1 | 1 | 1 | 2 (66.7%) |");
    expect(card).toContain("label rule: **majority**");
    expect(card).toContain("- v1\n- v2");
    expect(card).toContain('"labelRule": "majority"');
    expect(card).not.toMatch(/20\d\d-\d\d-\d\dT/);
  });

  it("writes label names one per line in index order", () => {
    expect(labelNamesFile(TAXONOMY)).toBe('non-toxic\ninsult\nslur "x": y\n');
  });
});
