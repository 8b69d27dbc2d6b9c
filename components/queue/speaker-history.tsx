import type { TSpeakerLabel } from "@/lib/queue/types.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";
import { VisibleText } from "@/components/ui/visible-text.tsx";

/** This speaker's most recent labelled lines: a repeat offender, or someone whose banter is always fine. */
export function SpeakerHistory({
  speakerId,
  history,
  categoryById,
}: {
  speakerId: string | null;
  history: TSpeakerLabel[];
  categoryById: Map<number, TCategory>;
}) {
  if (!speakerId) return null;
  return (
    <section
      className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm"
      aria-labelledby="speaker-history-title"
      data-testid="speaker-history"
    >
      <h2 id="speaker-history-title" className="truncate border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        {speakerId}&apos;s recent labels
      </h2>
      {history.length === 0 ? (
        <p className="px-3 py-2.5 text-[12px] text-slate-600">No labelled lines from this speaker yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {history.map((h) => {
            const category = categoryById.get(h.categoryId);
            return (
              <li key={h.excerptId} className="flex items-start gap-2 px-3 py-1.5 text-[12px]">
                <span className="mt-0.5 inline-flex shrink-0 items-center gap-1 rounded border border-slate-200 px-1 py-px text-[11px] font-medium text-slate-700">
                  <span className="h-2 w-2 rounded-sm" style={{ backgroundColor: category?.color ?? "#64748b" }} aria-hidden />
                  {category?.name ?? `category ${h.categoryId}`}
                </span>
                <span className="min-w-0 flex-1 break-words text-slate-800">
                  <VisibleText text={h.text} />
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
