import type { THfTokenizerFeaturizer } from "@/lib/model/manifest.ts";

/**
 * Text normalisation before tokenizing, the same as model/normalize.py applied at training time;
 * model/tests/fixtures/normalize-cases.json is checked on both sides.
 * "bertweet": BERTweet was pretrained with user mentions as "@USER" and links as "HTTPURL".
 * ASCII classes on purpose, so JavaScript and Python regexes agree character for character.
 */
const URL_PATTERN = /(?<![A-Za-z0-9_])(?:https?:\/\/\S+|www\.\S+|https?(?![A-Za-z0-9_]))/gi;
const USER_PATTERN = /(?<![A-Za-z0-9_])@[A-Za-z0-9_]+/g;

export function normalizeText(text: string, normalization: THfTokenizerFeaturizer["normalization"]): string {
  if (normalization === "none") return text;
  // links first: a link may itself contain "@name"
  return text.replace(URL_PATTERN, "HTTPURL").replace(USER_PATTERN, "@USER");
}
