import { formatPercent } from "@/lib/format/percent.ts";
import type { TSuggestion } from "@/lib/queue/types.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";

type TCategoryPanelProps = {
  categories: TCategory[];
  suggestion: TSuggestion | null;
  canUndo: boolean;
  onPick: (categoryId: number) => void;
  onAccept: () => void;
  onSkip: () => void;
  onUndo: () => void;
  onNote: () => void;
  /** the category whose guideline is shown (hover or focus a category to read its guideline) */
  onInspect?: (categoryId: number) => void;
};

// "Non-toxic (non-toxic)" said the same thing twice: the marker is only for names that do not say it
const saysNonToxic = (name: string) => /\b(non|not)[\s-]?toxic\b|\bbenign\b|\bsafe\b/i.test(name);

export function CategoryPanel({ categories, suggestion, canUndo, onPick, onAccept, onSkip, onUndo, onNote, onInspect }: TCategoryPanelProps) {
  return (
    <aside className="space-y-3">
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
        <h2 className="border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">Categories</h2>
        <ul data-testid="category-list">
          {categories.map((c) => {
            const probability = suggestion?.probsByCategoryId[c.id];
            const isSuggested = suggestion?.categoryId === c.id;
            return (
              <li key={c.id}>
                <button
                  type="button"
                  onClick={() => onPick(c.id)}
                  onMouseEnter={() => onInspect?.(c.id)}
                  onFocus={() => onInspect?.(c.id)}
                  title={c.description || c.name}
                  data-testid={`category-${c.id}`}
                  className={`group flex w-full items-center gap-2 border-l-2 px-3 py-2 text-left text-[13px] hover:bg-slate-50 ${
                    isSuggested ? "border-indigo-500 bg-indigo-50" : "border-transparent"
                  }`}
                >
                  <kbd className="shrink-0">{c.hotkey ?? "·"}</kbd>
                  <span className="h-2.5 w-2.5 shrink-0 rounded-sm" style={{ backgroundColor: c.color }} />
                  <span className={`flex-1 truncate ${isSuggested ? "font-semibold" : ""}`}>
                    {c.name}
                    {c.isNonToxic && !saysNonToxic(c.name) && <span className="ml-1 text-[11px] font-normal text-slate-600">(non-toxic)</span>}
                  </span>
                  {probability !== undefined && (
                    <span className="flex w-20 items-center gap-1.5" data-testid="category-probability">
                      <span className="relative h-1.5 flex-1 overflow-hidden rounded bg-slate-200" aria-hidden>
                        <span className="absolute inset-y-0 left-0" style={{ width: `${Math.round(probability * 100)}%`, backgroundColor: c.color }} />
                      </span>
                      <span className="w-9 text-right text-[11px] text-slate-600 tabular-nums">{formatPercent(probability)}</span>
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      </div>
      <div className="grid grid-cols-2 gap-1.5 text-[13px]">
        <button
          type="button"
          onClick={onAccept}
          disabled={!suggestion}
          className="col-span-2 flex items-center justify-center gap-2 rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
        >
          Accept suggestion <kbd className="border-indigo-300 bg-indigo-700 text-white shadow-none">Enter</kbd>
        </button>
        <button
          type="button"
          onClick={onSkip}
          className="flex items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50"
        >
          Skip <kbd>S</kbd>
        </button>
        <button
          type="button"
          onClick={onUndo}
          disabled={!canUndo}
          className="flex items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50 disabled:opacity-40"
        >
          Undo <kbd>U</kbd>
        </button>
        <button
          type="button"
          onClick={onNote}
          className="col-span-2 flex items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50"
        >
          Add note <kbd>N</kbd>
        </button>
      </div>
    </aside>
  );
}
