import { explainedLogOdds, highlightsFrom, leaveOneOutVariants, wordSpans, type TExplanation } from "@/lib/explain/leave-one-out.ts";
import type { TQueueCard } from "@/lib/queue/types.ts";
import { cachedEnv } from "../env.ts";
import { loadModelSession } from "../model/load-model-session.ts";
import { runModelUncalibrated } from "../model/predict-texts.ts";

const warnedVersions = new Set<number>();
/**
 * Versions whose model could not be loaded, until when not to try again. A version's bytes never change,
 * so a broken one stays broken; without this every claim re-read its row (and its ONNX bytes) only to fail
 * again. A minute bounds the cost of a transient failure (the database briefly away).
 */
const failedUntil = new Map<number, number>();
const RETRY_FAILED_MODEL_AFTER_MS = 60_000;

/**
 * Adds to each card the words that drove its suggestion (lib/explain/leave-one-out.ts), from the model
 * version that made the suggestion: every card's text and its leave-one-word-out variants go through
 * that model (uncalibrated, compared in log-odds) in ONE batched run per claim (a claim of 10 cards of ~10 words is ~110 rows: well under a
 * millisecond for the hashed-linear model). Explanations are a help, never a gate: if the model cannot
 * be loaded or run, the cards are served without them.
 */
export async function explainCards(cards: TQueueCard[]): Promise<TQueueCard[]> {
  // MODLOOP_QUEUE_HIGHLIGHTS=0 serves cards without highlights (a slow transformer model; A/B benchmarks)
  if (cachedEnv().MODLOOP_QUEUE_HIGHLIGHTS === "0") return cards.map((card) => ({ ...card, explanation: null }));
  const byModel = new Map<number, TQueueCard[]>();
  for (const card of cards) {
    if (!card.suggestion) continue;
    const list = byModel.get(card.suggestion.modelVersionId) ?? [];
    list.push(card);
    byModel.set(card.suggestion.modelVersionId, list);
  }
  const explained = new Map<string, TExplanation>();
  for (const [modelVersionId, group] of byModel) {
    if ((failedUntil.get(modelVersionId) ?? 0) > Date.now()) continue;
    try {
      const model = await loadModelSession(modelVersionId);
      const texts: string[] = [];
      const plan = group.map((card) => {
        const spans = wordSpans(card.text);
        const at = texts.length;
        texts.push(card.text, ...leaveOneOutVariants(card.text, spans));
        return { card, spans, at };
      });
      const rows = await runModelUncalibrated(model, texts);
      const nonToxicIndex = model.manifest.nonToxicIndex;
      for (const { card, spans, at } of plan) {
        const suggestedIndex = model.categoryIds.indexOf(card.suggestion!.categoryId);
        if (suggestedIndex < 0) continue;
        const score = (r: Float32Array) => explainedLogOdds(r, model.manifest.onnx.outputIsProbability, nonToxicIndex, suggestedIndex);
        const withoutEach = spans.map((_, i) => score(rows[at + 1 + i]));
        explained.set(card.excerptId, {
          target: suggestedIndex === nonToxicIndex ? "toxic" : "category",
          highlights: highlightsFrom(score(rows[at]), withoutEach, spans),
        });
      }
    } catch (err) {
      failedUntil.set(modelVersionId, Date.now() + RETRY_FAILED_MODEL_AFTER_MS);
      // once per version and process: a model that cannot run would otherwise log on every claim
      if (!warnedVersions.has(modelVersionId)) {
        warnedVersions.add(modelVersionId);
        console.warn(`[queue] no word highlights for model version ${modelVersionId}: ${(err as Error).message}`);
      }
    }
  }
  return cards.map((card) => ({ ...card, explanation: explained.get(card.excerptId) ?? null }));
}
