import type { TCategory } from "@/lib/taxonomy/contract.ts";
import { VisibleText } from "@/components/ui/visible-text.tsx";

/**
 * The labelling guideline of one category, in reach while deciding: its description and a couple of
 * excerpts already labelled with it. Shows the suggested category until another is hovered or focused.
 */
export function GuidelinePanel({ category, examples, isSuggested }: { category: TCategory | undefined; examples: string[]; isSuggested: boolean }) {
  return (
    <section className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm" aria-labelledby="guideline-title" data-testid="guideline">
      <h2 id="guideline-title" className="border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        Guideline{category && !isSuggested ? "" : category ? " · suggested" : ""}
      </h2>
      {category ? (
        <div className="space-y-2 px-3 py-2.5 text-[13px]">
          <div className="flex items-center gap-1.5 font-semibold">
            <span className="h-2.5 w-2.5 rounded-sm" style={{ backgroundColor: category.color }} aria-hidden />
            {category.name}
            {category.hotkey && <kbd className="ml-auto">{category.hotkey}</kbd>}
          </div>
          <p className="leading-snug text-slate-700" data-testid="guideline-description">
            {category.description || "No guideline written for this category yet. An admin can add one under Admin → Taxonomy."}
          </p>
          {examples.length > 0 && (
            <div>
              <h3 className="mb-1 text-[11px] font-medium text-slate-600">Labelled like this</h3>
              <ul className="space-y-1" data-testid="guideline-examples">
                {examples.map((text, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of example texts (which may repeat) rendered whole
                  <li key={i} className="rounded border-l-2 bg-slate-50 px-2 py-1 text-[12px] text-slate-800" style={{ borderLeftColor: category.color }}>
                    <VisibleText text={text} />
                  </li>
                ))}
              </ul>
            </div>
          )}
          <p className="text-[11px] text-slate-600">Hover or tab through the categories to read theirs.</p>
        </div>
      ) : (
        <p className="px-3 py-2.5 text-[13px] text-slate-600">Hover or tab through the categories to read their guidelines.</p>
      )}
    </section>
  );
}
