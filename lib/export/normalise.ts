import { normaliseForDedup } from "../import/normalize.ts";

/**
 * Normalised text for near-duplicate grouping in splits: two chat lines that differ only in case,
 * accents, spacing, punctuation, mentions, links or stretched letters ("NOOOOB!!" vs "noob") are the same
 * example to a classifier, so they must never sit on both sides of a train/test boundary.
 * Builds on lib/import's normaliseForDedup (the exact-duplicate form used for dedup keys: NFKC,
 * lower case, invisible characters removed) and loosens it for near-duplicates.
 */
export function normaliseText(text: string): string {
  // most chat is ASCII: skip Unicode decomposition when it cannot change anything (a hot path at 1M rows)
  const folded = /^[\x00-\x7f]*$/.test(text)
    ? text
    : normaliseForDedup(text)
        .normalize("NFKD")
        .replace(/\p{M}+/gu, ""); // "é" → "e"
  return (
    folded
      .toLowerCase()
      .replace(/https?:\/\/\S+|www\.\S+/g, " url ")
      .replace(/@\w+/g, " @user ")
      // leetspeak-free but stretch-free: "noooob" → "noob"
      .replace(/(.)\1{2,}/gu, "$1$1")
      // punctuation and symbols (emoji included) do not make a new example
      .replace(/[^\p{L}\p{N}@]+/gu, " ")
      .trim()
      .replace(/ +/g, " ")
  );
}
