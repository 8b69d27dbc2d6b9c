import type { TContextLine, TQueueCard } from "@/lib/queue/types.ts";
import type { TCategory } from "@/server/taxonomy/schemas.ts";
import { VisibleText } from "@/components/ui/visible-text.tsx";

const timeOf = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }) : "—");
const dateTimeOf = (iso: string | null) => (iso ? new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) : "time unknown");

function ContextLine({ line }: { line: TContextLine }) {
  return (
    <li className="grid grid-cols-[64px_120px_minmax(0,1fr)] gap-2 px-3 py-1 text-[13px] text-slate-500">
      <span className="font-mono text-[11px] leading-5 tabular-nums">{timeOf(line.occurredAt)}</span>
      <span className="truncate font-medium text-slate-600">{line.speakerId ?? "unknown"}</span>
      <span className="break-words whitespace-pre-wrap"><VisibleText text={line.text} /></span>
    </li>
  );
}

/** One excerpt with its conversation. All text is rendered as React text nodes (escaped): it is hostile user content. */
export function QueueCardView({ card, categoryById }: { card: TQueueCard; categoryById: Map<number, TCategory> }) {
  const suggested = card.suggestion ? categoryById.get(card.suggestion.categoryId) : undefined;
  return (
    <article className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="queue-card" data-excerpt-id={card.excerptId}>
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-100 bg-slate-50/70 px-3 py-2 text-xs text-slate-500">
        <span className="font-mono text-slate-400">#{card.excerptId}</span>
        <span className="rounded bg-slate-200/70 px-1.5 py-0.5 font-medium text-slate-700">{card.source === "voice" ? "Voice" : "Text"}</span>
        {card.game && <span>{card.game}</span>}
        {card.channel && <span>#{card.channel}</span>}
        {card.conversationId && <span className="font-mono">conv {card.conversationId}</span>}
        <span>{dateTimeOf(card.occurredAt)}</span>
        <span className="ml-auto flex gap-1">
          {card.isFlagged && <span className="rounded bg-rose-100 px-1.5 py-0.5 font-medium text-rose-700">Flagged</span>}
          {card.isAudit && (
            <span className="rounded bg-sky-100 px-1.5 py-0.5 font-medium text-sky-700" title="Random audit sample: served regardless of score">
              Audit sample
            </span>
          )}
        </span>
      </header>

      {card.context.before.length > 0 && (
        <ol className="border-b border-slate-100 py-1" aria-label="Earlier in the conversation">
          {card.context.before.map((line) => (
            <ContextLine key={line.excerptId} line={line} />
          ))}
        </ol>
      )}
      <div className="border-l-4 border-indigo-500 bg-indigo-50/40 px-3 py-4" data-testid="current-line">
        <div className="mb-1 flex items-center gap-2 text-xs text-slate-500">
          <span className="font-mono tabular-nums">{timeOf(card.occurredAt)}</span>
          <span className="font-semibold text-slate-700">{card.speakerId ?? "unknown speaker"}</span>
        </div>
        <p className="text-[17px] leading-relaxed break-words whitespace-pre-wrap text-slate-900" data-testid="excerpt-text">
          <VisibleText text={card.text} />
        </p>
      </div>
      {card.context.after.length > 0 && (
        <ol className="border-t border-slate-100 py-1" aria-label="Later in the conversation">
          {card.context.after.map((line) => (
            <ContextLine key={line.excerptId} line={line} />
          ))}
        </ol>
      )}

      <footer className="flex flex-wrap items-center gap-3 border-t border-slate-100 px-3 py-2 text-[13px]" data-testid="suggestion">
        {card.suggestion ? (
          <>
            <span className="text-slate-500">Model suggests</span>
            <span className="inline-flex items-center gap-1.5 font-semibold">
              <span className="h-2.5 w-2.5 rounded-full" style={{ backgroundColor: suggested?.color ?? "#64748b" }} />
              {suggested?.name ?? `category ${card.suggestion.categoryId}`}
            </span>
            <span className="tabular-nums text-slate-700">{Math.round(card.suggestion.confidence * 100)}% confident</span>
            <span className="flex items-center gap-1.5 text-slate-500">
              toxic
              <span className="relative inline-block h-1.5 w-20 overflow-hidden rounded bg-slate-200">
                <span className="absolute inset-y-0 left-0 bg-rose-500" style={{ width: `${Math.round(card.suggestion.toxicScore * 100)}%` }} />
              </span>
              <span className="tabular-nums">{card.suggestion.toxicScore.toFixed(2)}</span>
            </span>
            <span className="ml-auto font-mono text-xs text-slate-400">model {card.suggestion.modelVersion}</span>
            <span className="text-xs text-slate-500">
              <kbd>Enter</kbd> to accept
            </span>
          </>
        ) : (
          <span className="text-slate-500">No model suggestion yet — choose a category.</span>
        )}
      </footer>
    </article>
  );
}
