import { AppError } from "@/lib/errors.ts";
import { predictionFacts } from "@/lib/ranking/queue-fields.ts";
import type { TLiveLine } from "./live-store.ts";
import type { TServedCategory, TServingContext } from "./serving-context.ts";
import type { TServingServices } from "./serving-services.ts";

export type TScoredText = {
  probs: Float32Array;
  toxicScore: number;
  isFlagged: boolean;
  top: TServedCategory;
};

export type TActiveModel = NonNullable<TServingContext["model"]>;

/** The workspace's active model, or NO_MODEL saying what to do. */
export function requireActiveModel(context: TServingContext): TActiveModel {
  if (!context.model) {
    throw new AppError(
      "NO_MODEL",
      "This workspace has no active model yet: train one (Models → Train new version, or `npm run train`) and promote it, then retry.",
    );
  }
  return context.model;
}

/** Scores texts with the workspace's active model (through the batched scorer) and reads the facts the answers need. */
export async function scoreForWorkspace(
  services: TServingServices,
  context: TServingContext,
  texts: string[],
): Promise<{ model: TActiveModel; scored: TScoredText[] }> {
  const model = requireActiveModel(context);
  const rows = await services.scorer.score(model.modelVersionId, texts);
  const scored = rows.map((probs) => {
    const facts = predictionFacts(probs, model.nonToxicIndex);
    return { probs, toxicScore: facts.toxicScore, isFlagged: facts.toxicScore >= context.flagThreshold, top: model.outputs[facts.top] };
  });
  return { model, scored };
}

/** Shadow versions' probabilities for the texts, to be recorded with them (never returned). */
export async function scoreShadows(services: TServingServices, context: TServingContext, texts: string[]): Promise<TLiveLine["shadows"][]> {
  const perText: TLiveLine["shadows"][] = texts.map(() => []);
  for (const shadowId of context.shadowVersionIds) {
    try {
      const rows = await services.scorer.score(shadowId, texts);
      rows.forEach((probs, i) => perText[i].push({ modelVersionId: shadowId, probs }));
    } catch (err) {
      // a broken shadow must never fail what the active model answers
      console.error(`[api] shadow version ${shadowId} failed: ${(err as Error).message}`);
    }
  }
  return perText;
}

/** Probabilities as the API shows them: 6 decimals are far below any threshold anyone sets. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
