import { englishDataset } from "obscenity";

/**
 * Weak supervision for the cold start. With ~100 labels a linear model has seen too few swear
 * words to rank a fresh queue sensibly, so training adds low-weight pseudo-examples:
 *
 * - every English profane term of the `obscenity` package (maintained, MIT, ~70 root words with
 *   their variants handled by its own matcher) alone and in two short insult templates, labelled
 *   with the taxonomy's most profanity-like category;
 * - a handful of everyday game-chat lines labelled non-toxic, so the prior does not push
 *   everything towards "toxic".
 *
 * Each pseudo-example weighs PRIOR_WEIGHT, scaled down as real labels accumulate (halved at
 * FADE_LABELS labels): the human labels decide as soon as there are enough of them.
 * Why obscenity and not a larger list: it ships in npm (no download at run time), is maintained,
 * and its terms are chosen for precision (few false positives such as "Scunthorpe").
 */

export const PRIOR_WEIGHT = 0.5;
export const FADE_LABELS = 500;

const NEUTRAL_LINES = [
  "gg",
  "gg wp",
  "good game everyone",
  "nice shot",
  "thanks",
  "thank you",
  "lol",
  "ok",
  "hello",
  "hi all",
  "brb",
  "lets go mid",
  "need healing",
  "push top",
  "wait for me",
  "well played",
  "good luck have fun",
  "one more game?",
  "where is the boss",
  "i am on my way",
];

/** Root profane words of obscenity's English data set (its metadata keeps the original word). */
export function profaneTerms(): string[] {
  // DataSet keeps phrases in a private field; its metadata is the documented way to read the words.
  const containers = (englishDataset as unknown as { containers: Map<number, { metadata?: { originalWord?: string } }> }).containers;
  const words = new Set<string>();
  for (const c of containers.values()) if (c.metadata?.originalWord) words.add(c.metadata.originalWord);
  return [...words].sort();
}

const PROFANITY_NAMES = [/profan|obscen|swear|vulgar|curs|explicit/i, /insult|offens|abus|harass|toxic|bully/i];

/** The output index the lexicon should teach, or null when no category fits (e.g. only "spam"). */
export function profanityLikeIndex(labels: readonly string[], nonToxicIndex: number): number | null {
  for (const pattern of PROFANITY_NAMES) {
    const i = labels.findIndex((name, idx) => idx !== nonToxicIndex && pattern.test(name));
    if (i >= 0) return i;
  }
  return null;
}

export type TPseudoExamples = { texts: string[]; labels: number[]; weights: number[] };

export function lexiconPseudoExamples(opts: { labels: readonly string[]; nonToxicIndex: number; realLabels: number }): TPseudoExamples {
  const target = profanityLikeIndex(opts.labels, opts.nonToxicIndex);
  const out: TPseudoExamples = { texts: [], labels: [], weights: [] };
  if (target === null) return out;
  const weight = PRIOR_WEIGHT * (FADE_LABELS / (FADE_LABELS + opts.realLabels));
  for (const term of profaneTerms()) {
    for (const text of [term, `you ${term}`, `such a ${term}`]) {
      out.texts.push(text);
      out.labels.push(target);
      out.weights.push(weight);
    }
  }
  for (const text of NEUTRAL_LINES) {
    out.texts.push(text);
    out.labels.push(opts.nonToxicIndex);
    out.weights.push(weight);
  }
  return out;
}
