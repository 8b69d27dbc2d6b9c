import type { TSnapshotParams, TSplitName } from "./params.ts";
import { HF_COLUMNS } from "./row.ts";
import type { TSnapshotCounts, TTaxonomyEntry } from "./manifest.ts";

/**
 * The Hugging Face folder's README.md: YAML front matter that `datasets.load_dataset(folder)` reads
 * (one data file per split, `label` as a ClassLabel with the taxonomy's names), then a dataset card.
 * It holds no snapshot id or time, so re-running the same parameters gives the same bytes.
 */

const HF_DTYPE = { string: "string", int: "int32", float: "float64", bool: "bool" } as const;

export function hfSplitFile(split: TSplitName): string {
  return `${split}.jsonl`;
}

/** YAML scalar, always double-quoted JSON-style: safe for any name a customer types. */
const y = (s: string) => JSON.stringify(s);

export function datasetCard(opts: {
  workspaceSlug: string;
  params: TSnapshotParams;
  taxonomy: readonly TTaxonomyEntry[];
  counts: TSnapshotCounts;
  splits: readonly TSplitName[];
}): string {
  const { params, taxonomy, counts } = opts;
  const splits = opts.splits.filter((s) => (counts.bySplit[s] ?? 0) > 0);
  const yaml: string[] = ["---", "configs:", "- config_name: default", "  data_files:"];
  for (const s of splits) yaml.push(`  - split: ${s}`, `    path: ${hfSplitFile(s)}`);
  yaml.push("dataset_info:", "  features:");
  for (const c of HF_COLUMNS) {
    if (c.name === "label") {
      yaml.push("  - name: label", "    dtype:", "      class_label:", "        names:");
      for (const t of taxonomy) yaml.push(`          '${t.index}': ${y(t.name)}`);
    } else {
      yaml.push(`  - name: ${c.name}`, `    dtype: ${HF_DTYPE[c.kind]}`);
    }
  }
  yaml.push("  splits:");
  for (const s of splits) yaml.push(`  - name: ${s}`, `    num_examples: ${counts.bySplit[s]}`);
  yaml.push("task_categories:", "- text-classification", "---", "");

  const pct = (n: number, d: number) => (d === 0 ? "0.0%" : `${((100 * n) / d).toFixed(1)}%`);
  const md: string[] = [
    `# modloop labelled excerpts (${opts.workspaceSlug})`,
    "",
    "Human-labelled chat and voice-transcript excerpts exported from modloop for training toxic-speech",
    "classifiers. Splits are deterministic, stratified by label, and grouped so that a whole conversation",
    "and all near-duplicate texts fall in the same split.",
    "",
    "```python",
    "from datasets import load_dataset",
    'ds = load_dataset("path/to/this/folder")',
    'names = ds["train"].features["label"].names',
    "```",
    "",
    "## Counts",
    "",
    `| split | rows | share |`,
    `| --- | ---: | ---: |`,
    ...splits.map((s) => `| ${s} | ${counts.bySplit[s]} | ${pct(counts.bySplit[s], counts.rows)} |`),
    `| total | ${counts.rows} | 100.0% |`,
    "",
    "## Label distribution",
    "",
    `| label | index | ${splits.join(" | ")} | total |`,
    `| --- | ---: | ${splits.map(() => "---:").join(" | ")} | ---: |`,
    ...taxonomy.map((t) => {
      const per = splits.map((s) => counts.bySplitAndLabel[s]?.[t.name] ?? 0);
      const total = per.reduce((a, b) => a + b, 0);
      return `| ${mdCell(t.name)}${t.isNonToxic ? " (non-toxic)" : ""} | ${t.index} | ${per.join(" | ")} | ${total} (${pct(total, counts.rows)}) |`;
    }),
    "",
    ...(counts.grouping
      ? [
          "## Grouping",
          "",
          `- ${counts.grouping.groups} groups (conversations joined with their near-duplicate lines); the largest has ${counts.grouping.largestGroup} rows`,
          `- ${counts.grouping.hubTexts} stock phrases (in more than ${params.maxConversationsPerText ?? "∞"} conversations) carried by ${counts.grouping.hubRows} rows: each phrase sits in one split, without merging its conversations`,
          "",
        ]
      : []),
    "## Agreement",
    "",
    `- label rule: **${params.labelRule}** (an adjudicated decision always wins)`,
    `- mean share of moderators agreeing with the label: ${counts.meanAgreement.toFixed(3)}`,
    `- rows by number of moderators: 1: ${counts.byDecisionCount["1"] ?? 0}, 2: ${counts.byDecisionCount["2"] ?? 0}, 3+: ${counts.byDecisionCount["3+"] ?? 0}`,
    `- disputed rows (tied majority vote) included: ${counts.disputed}`,
    `- rows from the random audit slice: ${counts.audit}`,
    "",
    "## Model versions involved",
    "",
    "The model suggestion stored with each row is the one shown to the moderator when they labelled it.",
    "",
    ...(counts.modelVersions.length ? counts.modelVersions.map((v) => `- ${mdCell(v)}`) : ["- none (labelled without model suggestions)"]),
    "",
    "## Snapshot parameters",
    "",
    "```json",
    JSON.stringify(params, null, 2),
    "```",
    "",
  ];
  return `${yaml.join("\n")}${md.join("\n")}`;
}

function mdCell(s: string): string {
  return s.replace(/[|\n\r]/g, " ").replace(/[<>]/g, "");
}

/** label_names.txt: one name per line, line n = label index n (the order `label` uses). */
export function labelNamesFile(taxonomy: readonly TTaxonomyEntry[]): string {
  return taxonomy.map((t) => `${t.name.replace(/[\r\n]/g, " ")}\n`).join("");
}
