/**
 * Which words drove a model's score, model-agnostically: score the text once whole and once with each
 * word left out; a word whose removal lowers the score by a lot is one the score rests on. Pure: the
 * caller runs the model (server/queue/explain-cards.ts batches every variant of a claim into one run). Scores are
 * log-odds (explainedLogOdds).
 */

/** A word's place in the text, as UTF-16 offsets (what String.slice and the UI use). */
export type TWordSpan = { start: number; end: number };

/** A word that raised the explained score: `weight` is how much its log-odds drop without it (1 ≈ odds ÷ 2.7). */
export type THighlight = TWordSpan & { weight: number };

/** What a card's highlights explain: the suggested toxic category's probability, or the toxic score. */
export type TExplanation = { target: "category" | "toxic"; highlights: THighlight[] };

/** Longer texts are explained on their first words only: the cost is one model input per word. */
export const MAX_EXPLAINED_WORDS = 40;
/** A word must move the log-odds at least this much (odds × 1.5) to be highlighted. */
export const MIN_HIGHLIGHT_WEIGHT = 0.4;
/** At most this many words are highlighted, the strongest first. */
export const MAX_HIGHLIGHTS = 4;

// letters, digits and the characters games use inside words (l33t, f*ck, don't, x_x)
const WORD = /[\p{L}\p{N}\p{M}][\p{L}\p{N}\p{M}'’*@$_-]*/gu;

export function wordSpans(text: string, maxWords = MAX_EXPLAINED_WORDS): TWordSpan[] {
  const spans: TWordSpan[] = [];
  for (const m of text.matchAll(WORD)) {
    if (spans.length >= maxWords) break;
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/** The text with each word in turn replaced by a space (so its neighbours do not fuse into a new word). */
export function leaveOneOutVariants(text: string, spans: TWordSpan[]): string[] {
  return spans.map((s) => `${text.slice(0, s.start)} ${text.slice(s.end)}`);
}

/** The words whose removal lowers the score by at least `minWeight`, strongest first, at most `max`. */
export function highlightsFrom(
  base: number,
  withoutEach: number[],
  spans: TWordSpan[],
  { minWeight = MIN_HIGHLIGHT_WEIGHT, max = MAX_HIGHLIGHTS }: { minWeight?: number; max?: number } = {},
): THighlight[] {
  if (withoutEach.length !== spans.length) throw new Error(`expected ${spans.length} scores, got ${withoutEach.length}`);
  return spans
    .map((s, i) => ({ ...s, weight: round3(base - withoutEach[i]) }))
    .filter((h) => h.weight >= minWeight)
    .sort((a, b) => b.weight - a.weight || a.start - b.start)
    .slice(0, max)
    .sort((a, b) => a.start - b.start);
}

/**
 * The score a card's highlights explain, in log-odds, from one row of the model's uncalibrated output
 * (logits, or probabilities when `isProbability`): for a toxic suggestion its own class (which words
 * made it "Insult"), for a non-toxic one the toxic class, i.e. not non-toxic (which words, if any, still
 * pulled it towards toxic). Log-odds from log-softmax in float64 never saturate, so a word's effect
 * shows even when the probability reads 1.000.
 */
export function explainedLogOdds(output: ArrayLike<number>, isProbability: boolean, nonToxicIndex: number, suggestedIndex: number): number {
  const logP = logSoftmax(output, isProbability);
  if (suggestedIndex === nonToxicIndex) return -logOdds(logP, nonToxicIndex);
  return logOdds(logP, suggestedIndex);
}

function logSoftmax(output: ArrayLike<number>, isProbability: boolean): number[] {
  const n = output.length;
  if (isProbability) return Array.from({ length: n }, (_, k) => Math.log(Math.max(output[k], 1e-12)));
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, output[k]);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp(output[k] - max);
  const lse = max + Math.log(sum);
  return Array.from({ length: n }, (_, k) => output[k] - lse);
}

/** log(p_k / (1 − p_k)), with 1 − p_k summed over the other classes so it stays exact near p_k = 1. */
function logOdds(logP: number[], k: number): number {
  let max = -Infinity;
  for (let j = 0; j < logP.length; j++) if (j !== k) max = Math.max(max, logP[j]);
  let sum = 0;
  for (let j = 0; j < logP.length; j++) if (j !== k) sum += Math.exp(logP[j] - max);
  return logP[k] - (max + Math.log(sum));
}

/** Splits text into plain and highlighted pieces, in order, for rendering (spans must not overlap). */
export function splitByHighlights(text: string, highlights: THighlight[]): { text: string; highlight: THighlight | null }[] {
  const pieces: { text: string; highlight: THighlight | null }[] = [];
  let at = 0;
  for (const h of [...highlights].sort((a, b) => a.start - b.start)) {
    if (h.start < at || h.end > text.length || h.start >= h.end) continue;
    if (h.start > at) pieces.push({ text: text.slice(at, h.start), highlight: null });
    pieces.push({ text: text.slice(h.start, h.end), highlight: h });
    at = h.end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), highlight: null });
  return pieces;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
