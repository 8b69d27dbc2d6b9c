import type { TQueueCard } from "@/lib/queue/types.ts";
import { summarizeSuggestion } from "@/lib/queue/suggestion-summary.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";

/**
 * The model's suggestion in one voice: the category, its probability as text AND as the bar's width
 * (the same number), and the toxic score only where it adds something (lib/queue/suggestion-summary.ts).
 */
export function SuggestionLine({ card, suggested }: { card: TQueueCard; suggested: TCategory | undefined }) {
  if (!card.suggestion) {
    return (
      <div className="px-4 py-3 text-[13px] text-slate-600" data-testid="suggestion">
        No model suggestion yet — choose a category with <kbd>1</kbd>–<kbd>9</kbd>.
      </div>
    );
  }
  const { suggestion } = card;
  const probability = suggestion.probsByCategoryId[suggestion.categoryId] ?? suggestion.confidence;
  const summary = summarizeSuggestion({ probability, toxicScore: suggestion.toxicScore, isNonToxic: suggested?.isNonToxic ?? false });
  const color = suggested?.color ?? "#64748b";
  const name = suggested?.name ?? `category ${suggestion.categoryId}`;
  return (
    <div className="space-y-1.5 px-4 py-3" data-testid="suggestion" data-tone={summary.tone}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-[13px]">
        <span className="text-slate-600">Model suggests</span>
        <span className="inline-flex items-center gap-1.5 text-[15px] font-semibold" data-testid="suggestion-category">
          <span className="h-3 w-3 rounded-sm" style={{ backgroundColor: color }} aria-hidden />
          {name}
        </span>
        <span className="flex items-center gap-2">
          {/* biome-ignore lint/a11y/useSemanticElements: a styled bar with the meter role; <meter> cannot be styled alike across browsers */}
          <span
            className="relative inline-block h-2 w-32 overflow-hidden rounded-full bg-slate-200"
            role="meter"
            aria-label={`${name} probability`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(probability * 100)}
            data-testid="suggestion-bar"
          >
            <span className="absolute inset-y-0 left-0 rounded-full" style={{ width: `${Math.round(probability * 100)}%`, backgroundColor: color }} />
          </span>
          <span className="font-semibold tabular-nums" data-testid="suggestion-percent">
            {summary.percentText}
          </span>
        </span>
        <span className="ml-auto text-xs text-slate-600">
          <kbd>Enter</kbd> accepts <span className="font-mono">· {suggestion.modelVersion}</span>
        </span>
      </div>
      {summary.detail && (
        <p className={`text-[12px] ${summary.tone === "uncertain" ? "font-medium text-amber-800" : "text-slate-600"}`} data-testid="suggestion-detail">
          {summary.detail}
        </p>
      )}
    </div>
  );
}
