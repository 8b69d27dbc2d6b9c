import { useIsHydrated } from "@/components/hooks/use-is-hydrated.ts";
import { formatDateTime, formatTime } from "@/lib/format/date.ts";
import type { TContextLine, TQueueCard } from "@/lib/queue/types.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";
import { VisibleText } from "@/components/ui/visible-text.tsx";
import { HighlightedText } from "./highlighted-text.tsx";
import { SuggestionLine } from "./suggestion-line.tsx";

/**
 * The Element Timing API's mark on the excerpt's text: the browser reports when it was first painted
 * (PerformanceObserver "element"), which is how bench/http.ts times sign-in → first excerpt shown, and
 * what a real-user monitoring script can read too. A spread because React's types do not list the attribute.
 */
const EXCERPT_ELEMENT_TIMING = { elementtiming: "excerpt-text" } as Record<string, string>;

function ContextLine({ line, isSameSpeaker }: { line: TContextLine; isSameSpeaker: boolean }) {
  const isHydrated = useIsHydrated();
  return (
    <li className="grid grid-cols-[64px_120px_minmax(0,1fr)] gap-2 px-4 py-1 text-[13px] text-slate-600">
      <span className="font-mono text-[11px] leading-5 tabular-nums">{isHydrated ? formatTime(line.occurredAt) : ""}</span>
      <span className={`truncate ${isSameSpeaker ? "font-semibold text-slate-800" : "font-medium text-slate-600"}`}>{line.speakerId ?? "unknown"}</span>
      <span className="break-words whitespace-pre-wrap">
        <VisibleText text={line.text} />
      </span>
    </li>
  );
}

/** One excerpt with its conversation. All text is rendered as React text nodes (escaped): it is hostile user content. */
export function QueueCardView({ card, categoryById }: { card: TQueueCard; categoryById: Map<number, TCategory> }) {
  const suggested = card.suggestion ? categoryById.get(card.suggestion.categoryId) : undefined;
  const targetName = card.explanation?.target === "toxic" ? "a toxic category" : (suggested?.name ?? "the suggestion");
  const highlightCount = card.explanation?.highlights.length ?? 0;
  // The first cards arrive in the page's HTML (server-rendered): times, in the browser's time zone, follow at hydration.
  const isHydrated = useIsHydrated();
  return (
    <article className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="queue-card" data-excerpt-id={card.excerptId}>
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-100 bg-slate-50 px-4 py-2 text-xs text-slate-600">
        <span className="font-mono">#{card.excerptId}</span>
        <span className="rounded bg-slate-200 px-1.5 py-0.5 font-medium text-slate-700">{card.source === "voice" ? "Voice" : "Text"}</span>
        {card.game && <span>{card.game}</span>}
        {card.channel && <span>#{card.channel}</span>}
        {card.conversationId && <span className="font-mono">conv {card.conversationId}</span>}
        <span>{isHydrated ? formatDateTime(card.occurredAt, { fallback: "time unknown" }) : ""}</span>
        <span className="ml-auto flex gap-1">
          {card.isFlagged && <span className="rounded bg-rose-100 px-1.5 py-0.5 font-medium text-rose-800">Flagged</span>}
          {card.isAudit && (
            <span className="rounded bg-sky-100 px-1.5 py-0.5 font-medium text-sky-800" title="Random audit sample: served regardless of score">
              Audit sample
            </span>
          )}
        </span>
      </header>

      {card.context.before.length > 0 && (
        <ol className="border-b border-slate-100 py-1.5" aria-label="Earlier in the conversation">
          {card.context.before.map((line) => (
            <ContextLine key={line.excerptId} line={line} isSameSpeaker={line.speakerId !== null && line.speakerId === card.speakerId} />
          ))}
        </ol>
      )}
      <div className="border-l-4 border-indigo-500 bg-indigo-50 px-4 py-5" data-testid="current-line">
        <div className="mb-1.5 flex items-center gap-2 text-xs text-slate-600">
          <span className="font-mono tabular-nums">{isHydrated ? formatTime(card.occurredAt) : ""}</span>
          <span className="font-semibold text-slate-800">{card.speakerId ?? "unknown speaker"}</span>
        </div>
        <p className="text-[19px] leading-relaxed break-words whitespace-pre-wrap text-slate-900" data-testid="excerpt-text" {...EXCERPT_ELEMENT_TIMING}>
          <HighlightedText text={card.text} explanation={card.explanation} targetName={targetName} />
        </p>
        {highlightCount > 0 && (
          <p className="mt-2 text-[11px] text-slate-600" data-testid="highlight-legend">
            <mark className="rounded-sm bg-amber-200 px-0.5 text-slate-900">Marked</mark> words drove the suggestion most: leaving one out lowers the
            model&apos;s odds of {targetName}. Hover a word for how much.
          </p>
        )}
      </div>
      {card.context.after.length > 0 && (
        <ol className="border-t border-slate-100 py-1.5" aria-label="Later in the conversation">
          {card.context.after.map((line) => (
            <ContextLine key={line.excerptId} line={line} isSameSpeaker={line.speakerId !== null && line.speakerId === card.speakerId} />
          ))}
        </ol>
      )}

      <footer className="border-t border-slate-200">
        <SuggestionLine card={card} suggested={suggested} />
      </footer>
    </article>
  );
}
