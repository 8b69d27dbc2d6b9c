"use client";

import { useState, type FormEvent } from "react";
import { useCategories } from "@/components/hooks/use-categories.ts";
import { useCreateCategory } from "@/components/hooks/use-create-category.ts";
import { useUpdateCategory } from "@/components/hooks/use-update-category.ts";
import type { TCategory, TUpdateCategory } from "@/lib/taxonomy/contract.ts";
import { buttonClass, ErrorBanner, inputClass, PageHeader, secondaryButtonClass } from "@/components/ui/page-header.tsx";

type TDraft = { name: string; description: string; color: string; hotkey: string; sortOrder: string };

const toDraft = (c: TCategory): TDraft => ({
  name: c.name,
  description: c.description,
  color: c.color,
  hotkey: c.hotkey?.toString() ?? "",
  sortOrder: String(c.sortOrder),
});

function CategoryRow({ category }: { category: TCategory }) {
  const update = useUpdateCategory();
  const [draft, setDraft] = useState<TDraft>(() => toDraft(category));
  const isDirty = JSON.stringify(draft) !== JSON.stringify(toDraft(category));

  const save = (changes: TUpdateCategory) => update.mutate({ id: category.id, changes });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save({
      name: draft.name,
      description: draft.description,
      color: draft.color,
      hotkey: draft.hotkey ? Number(draft.hotkey) : null,
      sortOrder: Number(draft.sortOrder) || 0,
    });
  };

  return (
    <tr className={category.isActive ? "" : "bg-slate-50 text-slate-500"}>
      <td colSpan={7} className="p-0">
        <form
          onSubmit={onSubmit}
          className="grid grid-cols-[70px_180px_minmax(0,1fr)_80px_70px_130px_190px] items-center gap-2 px-3 py-1.5"
          aria-label={`Edit ${category.name}`}
        >
          <select aria-label="Hotkey" value={draft.hotkey} onChange={(e) => setDraft({ ...draft, hotkey: e.target.value })} className={inputClass}>
            <option value="">none</option>
            {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          <span className="flex items-center gap-1.5">
            <input
              aria-label="Colour"
              type="color"
              value={draft.color}
              onChange={(e) => setDraft({ ...draft, color: e.target.value })}
              className="h-6 w-7 cursor-pointer rounded border border-slate-300 bg-white p-0"
            />
            <input
              aria-label="Name"
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              className={`${inputClass} min-w-0 flex-1 font-medium`}
            />
          </span>
          <input
            aria-label="Description"
            value={draft.description}
            placeholder="What belongs here (shown as a tooltip in the queue)"
            onChange={(e) => setDraft({ ...draft, description: e.target.value })}
            className={inputClass}
          />
          <input
            aria-label="Order"
            type="number"
            value={draft.sortOrder}
            onChange={(e) => setDraft({ ...draft, sortOrder: e.target.value })}
            className={inputClass}
          />
          <span className="text-xs">
            {category.isNonToxic ? (
              <span className="rounded bg-emerald-50 px-1.5 py-0.5 font-medium text-emerald-700">non-toxic</span>
            ) : (
              <button
                type="button"
                disabled={!category.isActive}
                className="text-slate-500 hover:underline disabled:no-underline"
                onClick={() => save({ isNonToxic: true })}
                title="Make this the workspace's one non-toxic class"
              >
                set non-toxic
              </button>
            )}
          </span>
          <span className="text-xs">{category.isActive ? "active" : "retired"}</span>
          <span className="flex justify-end gap-1">
            {update.error && <span className="sr-only">error</span>}
            <button type="submit" className={buttonClass} disabled={!isDirty || update.isPending}>
              Save
            </button>
            {!category.isNonToxic && (
              <button type="button" className={secondaryButtonClass} onClick={() => save({ isActive: !category.isActive })}>
                {category.isActive ? "Deactivate" : "Reactivate"}
              </button>
            )}
          </span>
        </form>
        {update.error && (
          <div role="alert" className="mx-3 mb-1.5 rounded border border-rose-200 bg-rose-50 px-2 py-1 text-xs text-rose-800">
            {update.error.message}
          </div>
        )}
      </td>
    </tr>
  );
}

export function TaxonomyAdmin({ initialCategories }: { initialCategories: TCategory[] }) {
  const { data: categories = initialCategories } = useCategories(initialCategories);
  const create = useCreateCategory();
  const [draft, setDraft] = useState({ name: "", description: "", color: "#6366f1", hotkey: "" });

  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: draft.name, description: draft.description, color: draft.color, hotkey: draft.hotkey ? Number(draft.hotkey) : null },
      { onSuccess: () => setDraft({ name: "", description: "", color: "#6366f1", hotkey: "" }) },
    );
  };

  return (
    <div>
      <PageHeader
        title="Taxonomy"
        description="Categories moderators choose from. Exactly one is the non-toxic class. Categories are never deleted — deactivate retires one and keeps its labels."
      />
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-[13px]">
          <thead className="border-b border-slate-200 bg-slate-50 text-left text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th colSpan={7} className="p-0">
                <div className="grid grid-cols-[70px_180px_minmax(0,1fr)_80px_70px_130px_190px] gap-2 px-3 py-2">
                  <span>Hotkey</span>
                  <span>Name</span>
                  <span>Description</span>
                  <span>Order</span>
                  <span>Class</span>
                  <span>Status</span>
                  <span />
                </div>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="category-rows">
            {categories.map((c) => (
              <CategoryRow key={`${c.id}:${c.name}:${c.hotkey}:${c.color}:${c.sortOrder}:${c.description}:${c.isActive}`} category={c} />
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="mt-6 mb-2 text-sm font-semibold">Add a category</h2>
      <ErrorBanner error={create.error} />
      <form onSubmit={onCreate} className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-2.5" aria-label="Add category">
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Name</span>
          <input required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} className={inputClass} />
        </label>
        <label className="flex min-w-64 flex-1 flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Description</span>
          <input value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} className={inputClass} />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Colour</span>
          <input
            type="color"
            value={draft.color}
            onChange={(e) => setDraft({ ...draft, color: e.target.value })}
            className="h-7 w-10 rounded border border-slate-300 bg-white p-0"
          />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="text-[11px] font-medium text-slate-500">Hotkey</span>
          <select value={draft.hotkey} onChange={(e) => setDraft({ ...draft, hotkey: e.target.value })} className={inputClass}>
            <option value="">none</option>
            {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          Add category
        </button>
      </form>
    </div>
  );
}
