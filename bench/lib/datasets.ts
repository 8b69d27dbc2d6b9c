/**
 * Public labelled data sets the model benchmarks read by path from ../shared/data (never copied
 * into the repository; see that folder's README for provenance and licences).
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseCsv } from "@/lib/import/csv.ts";
import { unitHash } from "@/lib/random/hash.ts";

export const SHARED_DATA = process.env.MODLOOP_SHARED_DATA ?? path.resolve(import.meta.dirname, "../../../shared/data");

/** `groups`: the conversation of each row where the data set has one (CONDA's match id) */
export type TSplit = { texts: string[]; labels: Int32Array; groups?: string[] };

export type TDataset = {
  name: string;
  /** category names in output order, as a workspace taxonomy would hold them */
  labels: string[];
  nonToxicIndex: number;
  train: TSplit;
  /** the held-out split the figures are measured on */
  test: TSplit;
  testSplitName: string;
};

async function readLines(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

async function tweetevalSplit(dir: string, split: string): Promise<TSplit> {
  const texts = await readLines(path.join(dir, `${split}_text.txt`));
  const raw = await readLines(path.join(dir, `${split}_labels.txt`));
  if (texts.length !== raw.length) throw new Error(`${dir}/${split}: ${texts.length} texts but ${raw.length} labels`);
  const labels = Int32Array.from(raw, (v, i) => {
    const y = Number(v.trim());
    if (y !== 0 && y !== 1) throw new Error(`${dir}/${split}_labels.txt line ${i + 1}: expected 0 or 1, got ${JSON.stringify(v)}`);
    return y;
  });
  return { texts, labels };
}

/**
 * Which split the figures are measured on. "test" is the held-out split results are reported on;
 * "validation" is for choosing settings (TweetEval's own validation split; for CONDA, whose valid
 * split is its reported test, a fifth of the train matches held out), so no choice is tuned on the
 * split it is reported on.
 */
export type THeldOut = "test" | "validation";

/** TweetEval offensive (OLID sub-task A): train → test, 0 = not-offensive, 1 = offensive. */
export async function loadTweetEvalOffensive(heldOut: THeldOut = "test"): Promise<TDataset> {
  const dir = path.join(SHARED_DATA, "tweeteval-offensive");
  const split = heldOut === "test" ? "test" : "val";
  return {
    name: "tweeteval",
    labels: ["not-offensive", "offensive"],
    nonToxicIndex: 0,
    train: await tweetevalSplit(dir, "train"),
    test: await tweetevalSplit(dir, split),
    testSplitName: split,
  };
}

// E explicit and I implicit toxicity, A action, O other. "explicit" is the name the lexicon prior
// recognises as profanity-like, as a workspace with this taxonomy would train.
const CONDA_INTENTS = ["E", "I", "A", "O"] as const;
const CONDA_NAMES = ["explicit toxicity", "implicit toxicity", "action", "other"];

async function condaSplit(file: string): Promise<TSplit & { matches: string[] }> {
  const texts: string[] = [];
  const labels: number[] = [];
  const matches: string[] = [];
  for await (const batch of parseCsv(createReadStream(file, { encoding: "utf8" }))) {
    for (const row of batch) {
      if ("error" in row) throw new Error(`${file} line ${row.line}: ${row.error}`);
      const text = String(row.record.utterance ?? "");
      // 7 train and 1 valid utterances are empty: nothing to classify
      if (text.trim() === "") continue;
      const y = CONDA_INTENTS.indexOf(String(row.record.intentClass) as (typeof CONDA_INTENTS)[number]);
      if (y < 0) throw new Error(`${file} line ${row.line}: unknown intentClass ${JSON.stringify(row.record.intentClass)}`);
      texts.push(text);
      labels.push(y);
      matches.push(String(row.record.matchId ?? ""));
    }
  }
  return { texts, labels: Int32Array.from(labels), matches, groups: matches };
}

/** Rows of `split` whose match is (or is not) in the held-out fifth, chosen by a hash of the match id. */
function byMatch(split: TSplit & { matches: string[] }, isHeldOut: boolean): TSplit {
  const keep: number[] = [];
  for (let i = 0; i < split.texts.length; i++) if (unitHash(split.matches[i], "conda-validation") < 0.2 === isHeldOut) keep.push(i);
  return { texts: keep.map((i) => split.texts[i]), labels: Int32Array.from(keep, (i) => split.labels[i]), groups: keep.map((i) => split.matches[i]) };
}

/**
 * CONDA Dota 2 chat, utterance intent E/I/A/O: train → valid (the test split has no public labels).
 * With heldOut "validation": the train matches not in the held-out fifth → that fifth, whole
 * matches on one side so no conversation leaks across.
 */
export async function loadConda(heldOut: THeldOut = "test"): Promise<TDataset> {
  const dir = path.join(SHARED_DATA, "conda");
  if (heldOut === "validation") {
    const train = await condaSplit(path.join(dir, "CONDA_train.csv"));
    return {
      name: "conda",
      labels: CONDA_NAMES,
      nonToxicIndex: 3,
      train: byMatch(train, false),
      test: byMatch(train, true),
      testSplitName: "validation (a fifth of the train matches)",
    };
  }
  return {
    name: "conda",
    labels: CONDA_NAMES,
    // "other" is the non-toxic class the queue's toxic score is measured against
    nonToxicIndex: 3,
    train: await condaSplit(path.join(dir, "CONDA_train.csv")),
    test: await condaSplit(path.join(dir, "CONDA_valid.csv")),
    testSplitName: "valid",
  };
}
