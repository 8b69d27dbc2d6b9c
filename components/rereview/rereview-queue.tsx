"use client";

import { useEffect } from "react";
import { useCategories, useCategoryIndex } from "@/components/hooks/use-categories.ts";
import { useRereviewItems, useSubmitRereview } from "@/components/hooks/use-rereview.ts";
import { actionForKey, isTypingTarget } from "@/components/queue/keymap.ts";
import { QueueCardView } from "@/components/queue/queue-card-view.tsx";
import { ErrorBanner, PageHeader } from "@/components/ui/page-header.tsx";
import type { TLabelBy } from "@/lib/label-errors/types.ts";
import type { TCategory } from "@/lib/taxonomy/contract.ts";

const pct = (p: number) => `${Math.round(p * 100)}%`;

/**
 * The re-review queue: one suspected label error at a time, with its current label and who gave it, the
 * flagging model's out-of-fold distribution, the other labels of the same text and of its near-duplicates.
 * K keeps the label, 1–9 change it to that category, Enter takes the model's likely label.
 */
export function RereviewQueue({ initialCategories }: { initialCategories: TCategory[] }) {
  const { data: categories = initialCategories } = useCategories(initialCategories);
  const list = useRereviewItems();
  const submit = useSubmitRereview();
  const { categoryById, hotkeys, activeCategories } = useCategoryIndex(categories);
  const items = list.data ?? [];
  const current = items[0] ?? null;
  const nameOf = (id: number | null) => (id == null ? "unlabelled" : (categoryById.get(id)?.name ?? `#${id}`));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!current || submit.isPending || isTypingTarget(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      let categoryId: number | undefined;
      if (e.key === "k" || e.key === "K") categoryId = current.flaggedCategoryId;
      else {
        const action = actionForKey(e, hotkeys);
        categoryId = action?.type === "pick" ? action.categoryId : action?.type === "accept" ? current.suggestedCategoryId : undefined;
      }
      if (categoryId === undefined) return;
      e.preventDefault();
      submit.mutate({ suspectId: current.suspectId, categoryId });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, hotkeys, submit]);

  const labelRow = (l: TLabelBy) => (
    <li key={l.decisionId} className="flex justify-between gap-2 px-3 py-1.5">
      <span>
        {l.userName} <span className="text-[11px] text-slate-400">({l.origin})</span>
      </span>
      <span className="font-medium">{nameOf(l.categoryId)}</span>
    </li>
  );
  const panel = "overflow-hidden rounded-lg border border-slate-200 bg-white text-[13px] shadow-sm";
  const panelTitle = "border-b border-slate-100 px-3 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase";

  return (
    <div className="mx-auto max-w-[1400px] px-4 py-3">
      <PageHeader
        title="Re-review"
        description="Labels the model finds unlikely, most suspicious first. Keep the label (K) or change it (1–9, Enter for the model's likely label): your verdict is a senior's final label and feeds the next training run."
      />
      <ErrorBanner error={list.error ?? submit.error} />
      {list.isPending && <p className="text-[13px] text-slate-500">Loading…</p>}
      {list.isSuccess && !current && (
        <p role="status" data-testid="rereview-empty" className="rounded-lg border border-slate-200 bg-white p-6 text-center text-[13px] text-slate-500">
          No suspected label errors waiting. Training flags new ones after each run.
        </p>
      )}
      {current && (
        <div className="grid gap-4 md:grid-cols-[1fr_320px]">
          <div className="space-y-3">
            <p className="text-xs text-slate-500">
              {items.length === 1 ? "1 item" : `${items.length} items`} held for you · flagged by {current.modelVersion}
            </p>
            <div className={panel} data-testid="rereview-current-label">
              <div className="flex items-center justify-between px-3 py-2">
                <span>
                  Current label: <strong>{nameOf(current.currentCategoryId ?? current.flaggedCategoryId)}</strong>
                  {current.labelledBy && <span className="text-slate-500"> by {current.labelledBy.userName}</span>}
                </span>
                <span className="text-slate-500">
                  Likely: <strong>{nameOf(current.suggestedCategoryId)}</strong>
                </span>
              </div>
            </div>
            <QueueCardView card={current.card} categoryById={categoryById} />
          </div>
          <aside className="space-y-3">
            <div className={panel} data-testid="rereview-out-of-fold">
              <div className={panelTitle}>Model (out of fold)</div>
              <ul className="space-y-1 px-3 py-2">
                {current.outOfFold.map((o) => (
                  <li key={o.categoryId}>
                    <div className="flex justify-between">
                      <span>{nameOf(o.categoryId)}</span>
                      <span className="tabular-nums">{pct(o.probability)}</span>
                    </div>
                    <div className="h-1.5 rounded bg-slate-100">
                      <div className="h-1.5 rounded bg-slate-500" style={{ width: pct(o.probability) }} />
                    </div>
                  </li>
                ))}
              </ul>
            </div>
            <div className={panel} data-testid="rereview-labels">
              <div className={panelTitle}>Labels of this text</div>
              <ul className="divide-y divide-slate-100">{current.labels.map(labelRow)}</ul>
            </div>
            {current.nearDuplicates.length > 0 && (
              <div className={panel} data-testid="rereview-near-duplicates">
                <div className={panelTitle}>Same or near-duplicate text</div>
                <ul className="divide-y divide-slate-100">
                  {current.nearDuplicates.map((d) => (
                    <li key={d.excerptId} className="px-3 py-1.5">
                      <p className="truncate text-slate-600" title={d.text}>
                        {d.text}
                      </p>
                      <ul>{d.labels.length ? d.labels.map(labelRow) : <li className="px-3 text-slate-400">{nameOf(d.currentCategoryId)}</li>}</ul>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <div className={panel}>
              <div className={panelTitle}>Verdict</div>
              <ul data-testid="rereview-categories">
                {activeCategories.map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      disabled={submit.isPending}
                      onClick={() => submit.mutate({ suspectId: current.suspectId, categoryId: c.id })}
                      className="flex w-full items-center gap-2 px-3 py-1.5 text-left text-[13px] hover:bg-slate-50 disabled:opacity-50"
                    >
                      <kbd className="w-5 rounded border border-slate-300 text-center text-[11px] text-slate-500">{c.hotkey ?? ""}</kbd>
                      <span>{c.id === current.flaggedCategoryId ? `Keep ${c.name} (K)` : `Change to ${c.name}`}</span>
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
