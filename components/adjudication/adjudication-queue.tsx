"use client";

import { useEffect } from "react";
import { useAdjudications, useSubmitAdjudication } from "@/components/hooks/use-adjudications.ts";
import { useCategories, useCategoryIndex } from "@/components/hooks/use-categories.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";
import { actionForKey, isTypingTarget } from "@/components/queue/keymap.ts";
import { QueueCardView } from "@/components/queue/queue-card-view.tsx";
import { ErrorBanner, PageHeader } from "@/components/ui/page-header.tsx";

/**
 * The adjudication queue: one disputed overlap item at a time, with both moderators' labels, the
 * model's suggestion and the conversation (the queue's card). 1–9 pick the final category, as in the queue.
 */
export function AdjudicationQueue({ initialCategories }: { initialCategories: TCategory[] }) {
  const { data: categories = initialCategories } = useCategories(initialCategories);
  const list = useAdjudications();
  const submit = useSubmitAdjudication();
  const { categoryById, hotkeys, activeCategories } = useCategoryIndex(categories);
  const items = list.data ?? [];
  const current = items[0] ?? null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!current || submit.isPending || isTypingTarget(e.target)) return;
      const action = actionForKey(e, hotkeys);
      // as in the queue: 1–9 pick a category, Enter takes the model's suggestion
      const categoryId = action?.type === "pick" ? action.categoryId : action?.type === "accept" ? current.card.suggestion?.categoryId : undefined;
      if (categoryId === undefined) return;
      e.preventDefault();
      submit.mutate({ excerptId: current.card.excerptId, categoryId });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, hotkeys, submit]);

  return (
    <div className="mx-auto max-w-[1400px] px-4 py-3">
      <PageHeader
        title="Adjudication"
        description="Overlap items the two moderators labelled differently. Your label is final: it overrides both, in the excerpt's label and in exports."
      />
      <ErrorBanner error={list.error ?? submit.error} />
      {list.isPending && <p className="text-[13px] text-slate-500">Loading…</p>}
      {list.isSuccess && !current && (
        <p role="status" className="rounded-lg border border-slate-200 bg-white p-6 text-center text-[13px] text-slate-500">
          Nothing to adjudicate: every overlap item so far has agreeing labels or a final one.
        </p>
      )}
      {current && (
        <div className="grid gap-4 md:grid-cols-[1fr_280px]">
          <div className="space-y-3">
            <p className="text-xs text-slate-500">{items.length === 1 ? "1 item" : `${items.length} items`} waiting</p>
            <QueueCardView card={current.card} categoryById={categoryById} />
          </div>
          <aside className="space-y-3">
            <div className="overflow-hidden rounded-lg border border-slate-200 bg-white text-[13px] shadow-sm" data-testid="overlap-labels">
              <div className="border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Moderators said</div>
              <ul className="divide-y divide-slate-100">
                {current.labels.map((l) => (
                  <li key={l.decisionId} className="flex justify-between px-3 py-1.5">
                    <span>{l.userName}</span>
                    <span className="font-medium">{categoryById.get(l.categoryId)?.name ?? `#${l.categoryId}`}</span>
                  </li>
                ))}
              </ul>
            </div>
            <div className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
              <div className="border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Final label</div>
              <ul data-testid="adjudication-categories">
                {activeCategories.map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      disabled={submit.isPending}
                      onClick={() => submit.mutate({ excerptId: current.card.excerptId, categoryId: c.id })}
                      className="flex w-full items-center gap-2 px-3 py-1.5 text-left text-[13px] hover:bg-slate-50 disabled:opacity-50"
                    >
                      <kbd className="w-5 rounded border border-slate-300 text-center text-[11px] text-slate-500">{c.hotkey ?? ""}</kbd>
                      <span>{c.name}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          </aside>
        </div>
      )}
    </div>
  );
}
