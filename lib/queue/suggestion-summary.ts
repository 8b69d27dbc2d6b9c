import { formatPercent } from "@/lib/format/percent.ts";

/**
 * What the queue says about a model suggestion, in one voice. The headline is the suggested category
 * with ITS probability (the bar under it shows the same number). The toxic score (1 − p(non-toxic)) is
 * mentioned only where it adds something and can never read as a contradiction:
 *  - a non-toxic suggestion whose toxic categories together outweigh it (e.g. Not toxic 34%, toxic
 *    categories 66% between them) is presented as uncertain, not as "non-toxic";
 *  - a toxic suggestion whose probability is split with other toxic categories says how sure the model
 *    is that the line is toxic at all.
 */
export type TSuggestionSummary = {
  tone: "toxic" | "non-toxic" | "uncertain";
  /** the suggested category's probability, 0–1, as drawn by the bar */
  probability: number;
  percentText: string;
  /** a second line, or null when the headline says it all */
  detail: string | null;
};

export function summarizeSuggestion({
  probability,
  toxicScore,
  isNonToxic,
}: {
  probability: number;
  toxicScore: number;
  isNonToxic: boolean;
}): TSuggestionSummary {
  const percentText = formatPercent(probability);
  if (isNonToxic) {
    if (toxicScore > probability) {
      return {
        tone: "uncertain",
        probability,
        percentText,
        detail: `Uncertain: the toxic categories add up to ${formatPercent(toxicScore)} between them, though none alone is likelier than this one.`,
      };
    }
    return { tone: "non-toxic", probability, percentText, detail: null };
  }
  if (toxicScore - probability >= 0.1) {
    return { tone: "toxic", probability, percentText, detail: `${formatPercent(toxicScore)} likely toxic in some category.` };
  }
  return { tone: "toxic", probability, percentText, detail: null };
}
